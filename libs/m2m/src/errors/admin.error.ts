import type { ProblemFieldError } from './problem-details.js';

/**
 * A domain error of the client registry, rendered as RFC 9457 problem details by the admin API.
 * `type` is a stable URN that callers can switch on.
 */
export abstract class M2mProblemError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  abstract readonly title: string;
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
}
