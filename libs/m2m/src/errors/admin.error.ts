import type { ProblemDetails, ProblemFieldError } from './problem-details.js';

/**
 * A domain error of the client registry, rendered as RFC 9457 problem details by the admin API.
 * `type` is a stable URN that callers can switch on.
 */
export abstract class M2mProblemError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  abstract readonly title: string;

  /** The RFC 9457 body: the message is the `detail`. */
  toProblem(): ProblemDetails {
    return { type: this.type, title: this.title, status: this.status, detail: this.message };
  }
}

/** No client with that id (or not visible to the caller). */
export class ClientNotFoundError extends M2mProblemError {
  override readonly name = 'ClientNotFoundError';
  readonly status = 404;
  readonly type = 'urn:m2m:problem:client-not-found';
  readonly title = 'Client not found';

  constructor(readonly clientId: string) {
    super(`No client with id "${clientId}".`);
  }
}

/** The request is well-formed JSON but one or more fields are invalid. */
export class ClientValidationError extends M2mProblemError {
  override readonly name = 'ClientValidationError';
  readonly status = 400;
  readonly type = 'urn:m2m:problem:validation-error';
  readonly title = 'Invalid request';

  constructor(readonly errors: ProblemFieldError[]) {
    super(errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '));
  }

  /** RFC 9457 §3: every invalid member, with a JSON Pointer, in the `errors` extension. */
  override toProblem(): ProblemDetails {
    return { ...super.toProblem(), errors: this.errors };
  }
}

/** The operation conflicts with the client's state (e.g. rotating a disabled client). */
export class ClientStateError extends M2mProblemError {
  override readonly name = 'ClientStateError';
  readonly status = 409;
  readonly title: string;

  constructor(
    readonly type: string,
    title: string,
    detail: string,
  ) {
    super(detail);
    this.title = title;
  }

  static disabled(clientId: string): ClientStateError {
    return new ClientStateError(
      'urn:m2m:problem:client-disabled',
      'Client is disabled',
      `Client "${clientId}" is disabled; enable it first.`,
    );
  }

  static noSecret(clientId: string): ClientStateError {
    return new ClientStateError(
      'urn:m2m:problem:no-secret',
      'Client has no secret',
      `Client "${clientId}" authenticates with private_key_jwt; update its jwks or jwks_uri instead.`,
    );
  }

  static rotationInProgress(clientId: string): ClientStateError {
    return new ClientStateError(
      'urn:m2m:problem:rotation-in-progress',
      'Rotation already in progress',
      `Client "${clientId}" already has a next secret; complete or cancel that rotation first.`,
    );
  }

  static noRotation(clientId: string): ClientStateError {
    return new ClientStateError(
      'urn:m2m:problem:no-rotation',
      'No rotation in progress',
      `Client "${clientId}" has no rotation in progress; start one first.`,
    );
  }
}

/** Another instance rotated the signing keys at the same moment; the rotation did not happen twice. */
export class SigningKeyConflictError extends M2mProblemError {
  override readonly name = 'SigningKeyConflictError';
  readonly status = 409;
  readonly type = 'urn:m2m:problem:key-rotation-conflict';
  readonly title = 'Signing keys changed meanwhile';

  constructor() {
    super(
      'Another rotation of the signing keys happened at the same time; list the keys and retry if needed.',
    );
  }
}
