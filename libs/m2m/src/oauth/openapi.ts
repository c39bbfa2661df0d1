import type { SecuritySchemeObject } from '@nestjs/swagger';
import { TOKEN_PATH } from './server-metadata.js';

/**
 * The OpenAPI security scheme that `@RequireScopes()` refers to: OAuth 2.0 client credentials
 * against this server's token endpoint, so that Swagger UI can fetch a token.
 *
 * @example
 * ```ts
 * new DocumentBuilder().addOAuth2(m2mSecurityScheme(issuer, scopes), M2M_SECURITY_SCHEME)
 * ```
 */
export function m2mSecurityScheme(
  issuer: string,
  scopes: Record<string, string> = {},
): SecuritySchemeObject {
  return {
    type: 'oauth2',
    description: 'M2M access token from the client credentials grant.',
    flows: {
      clientCredentials: { tokenUrl: `${issuer.replace(/\/+$/, '')}/${TOKEN_PATH}`, scopes },
    },
  };
}
