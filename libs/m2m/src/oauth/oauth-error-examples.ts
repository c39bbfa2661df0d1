import type { ErrorExample } from '../http/api-error-response.decorator.js';
import type { OAuthError, OAuthErrorBody } from '../errors/oauth.error.js';
import { requestErrorAnswer } from '../http/request-errors.js';

// OpenAPI examples of RFC 6749 §5.2 error bodies, shared by the OAuth and registration
// endpoints. They are built from the errors the endpoints throw, so that each shows a real body.

/** The example of the body `error` is answered with. */
export function oauthExample(summary: string, error: OAuthError): ErrorExample<OAuthErrorBody> {
  return { summary, value: error.toBody() };
}

/** The body sent for a request body the endpoint cannot read (see `requestErrorAnswer`). */
function unreadable(kind: 'unparsable' | 'too_large'): OAuthErrorBody {
  return requestErrorAnswer(kind, '/oauth2/token')!.body as OAuthErrorBody;
}

/** A body that cannot be parsed. */
export const UNPARSABLE_BODY: ErrorExample<OAuthErrorBody> = {
  summary: 'Body that cannot be parsed',
  value: unreadable('unparsable'),
};

/** A body larger than the server accepts. */
export const TOO_LARGE_BODY: ErrorExample<OAuthErrorBody> = {
  summary: 'Body too large',
  value: unreadable('too_large'),
};
