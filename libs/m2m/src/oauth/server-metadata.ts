import type { ResolvedM2mOptions } from '../m2m-options.js';

/** The RFC 8414 §2 members this server publishes. */
export interface M2mServerMetadata {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  response_types_supported: string[];
  scopes_supported?: string[];
}

/** Builds the metadata document once, from the resolved options. */
export function authorizationServerMetadata(
  options: ResolvedM2mOptions,
  paths: { token: string; jwks: string },
): M2mServerMetadata {
  return {
    issuer: options.issuer,
    token_endpoint: `${options.issuer}/${paths.token}`,
    jwks_uri: `${options.issuer}/${paths.jwks}`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    // RFC 8414 §2 makes this member required; there is no authorization endpoint, hence empty.
    response_types_supported: [],
    ...(options.scopes === null ? {} : { scopes_supported: [...options.scopes].sort() }),
  };
}
