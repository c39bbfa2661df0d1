import { InvalidRequestError } from '../errors/oauth.error.js';
import { readTokenRequest, type TokenHttpRequest } from '../oauth/token-request.reader.js';

/** The form content type of token requests. */
export const FORM = 'application/x-www-form-urlencoded';

/** An `Authorization: Basic` header of `raw`, base64-encoded as is. */
export const basicOf = (raw: string) => `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;

/** Reads a token request: a form body with no Authorization header unless given. */
export function read(http: Partial<TokenHttpRequest>) {
  return readTokenRequest({ contentType: FORM, authorization: undefined, body: {}, ...http });
}

/** The 400 `invalid_request` that reading the request throws. */
export function rejection(http: Partial<TokenHttpRequest>): InvalidRequestError {
  try {
    read(http);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect([(error as InvalidRequestError).error, (error as InvalidRequestError).status]).toEqual([
      'invalid_request',
      400,
    ]);
    return error as InvalidRequestError;
  }
  throw new Error('expected an invalid_request');
}
