import type { INestApplication } from '@nestjs/common';
import type { SecuritySchemeObject } from '@nestjs/swagger';
import { M2mConfigurationError } from '../errors/m2m-configuration.error.js';
import { M2M_ADMIN_SCOPE, M2M_INTROSPECT_SCOPE } from '../m2m.constants.js';
import { TOKEN_PATH } from '../domain/endpoint-paths.js';
import { ServerMetadataService, type ScopeOrigin } from './server-metadata.service.js';

/** Routes named in a scope's description before the rest are only counted. */
const ROUTES_SHOWN = 5;

/** What the module's own scopes allow. */
const OWN_SCOPES: Readonly<Record<string, string>> = {
  [M2M_ADMIN_SCOPE]: 'The admin API: clients, signing keys, audit events and revocations.',
  [M2M_INTROSPECT_SCOPE]: 'Token introspection (RFC 7662).',
};

/**
 * The OpenAPI security scheme that `@RequireScopes()` refers to: OAuth 2.0 client credentials
 * against this server's token endpoint, so that Swagger UI can fetch a token. Lists the given
 * scopes only; {@link m2mSecuritySchemeOf} finds them in the application.
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

/** The sentence that describes a scope nobody described. */
function describeScope(scope: string, { routes, configured }: ScopeOrigin): string {
  if (routes.length > 0) {
    const shown = routes.slice(0, ROUTES_SHOWN).join(', ');
    const more = routes.length - ROUTES_SHOWN;
    return `Required by ${shown}${more > 0 ? ` and ${more} more` : ''}.`;
  }
  if (Object.hasOwn(OWN_SCOPES, scope)) return OWN_SCOPES[scope]!;
  if (configured) return 'Configured in the module options (`scopes`).';
  return 'Required by `@RequireScopes()` in this application.';
}

function serverMetadataOf(app: INestApplication): ServerMetadataService {
  try {
    return app.get(ServerMetadataService, { strict: false });
  } catch {
    throw new M2mConfigurationError(
      'm2mSecuritySchemeOf() needs an application that imports M2mModule (the authorization server). For a resource server, use m2mSecurityScheme(issuer, scopes).',
    );
  }
}

/**
 * The OpenAPI security scheme of an application that imports `M2mModule`, with every scope of
 * the server metadata's `scopes_supported`: those `@RequireScopes()` uses on the application's
 * routes, the configured `scopes` and the module's own. Call it after the application is
 * created (`NestFactory.create`), before or after `init()`.
 *
 * @param descriptions what each scope allows, shown in Swagger UI; a scope without one is
 *   described by the routes that require it
 * @example
 * ```ts
 * new DocumentBuilder()
 *   .addOAuth2(m2mSecuritySchemeOf(app, { 'orders:read': 'Read orders' }), M2M_SECURITY_SCHEME)
 * ```
 */
export function m2mSecuritySchemeOf(
  app: INestApplication,
  descriptions: Readonly<Record<string, string>> = {},
): SecuritySchemeObject {
  const metadata = serverMetadataOf(app);
  const scopes: Record<string, string> = {};
  for (const [scope, origin] of metadata.scopeOrigins()) {
    scopes[scope] = Object.hasOwn(descriptions, scope)
      ? descriptions[scope]!
      : describeScope(scope, origin);
  }
  return m2mSecurityScheme(metadata.document().issuer, scopes);
}
