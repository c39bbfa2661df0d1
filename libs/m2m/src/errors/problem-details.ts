import { STATUS_CODES } from 'node:http';

/** Media type of RFC 9457 problem details. */
export const PROBLEM_JSON = 'application/problem+json';

/** One invalid input field (RFC 9457 §3 `errors` extension, with a JSON Pointer). */
export interface ProblemFieldError {
  /** JSON Pointer (RFC 6901) to the offending member, e.g. `#/client_name`. */
  pointer: string;
  detail: string;
}

/** An RFC 9457 problem details object. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

/** Builds a problem of type `about:blank`, whose title is the HTTP status phrase (RFC 9457 §4.2.1). */
export function statusProblem(status: number, detail?: string): ProblemDetails {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    ...(detail === undefined ? {} : { detail }),
  };
}
