import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import {
  INTROSPECTION_PATH,
  REGISTRATION_PATH,
  REVOCATION_PATH,
  TOKEN_PATH,
} from '../domain/endpoint-paths.js';
import { JWKS_PATH } from '../domain/jwks-path.js';
import { M2M_INTROSPECT_SCOPE } from '../m2m.constants.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import { M2M_SIGNING_ALGORITHMS } from '../options/module-options.js';
import { type ResolvedM2mOptions } from '../options/resolved-options.js';
import { discoverAdvertisedScopes, discoverRequiredScopes } from './scope-discovery.js';

/** Client authentication methods of the token, introspection and revocation endpoints. */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];

/** Where a scope of `scopes_supported` comes from. */
export interface ScopeOrigin {
  /** The routes whose `@RequireScopes()` lists it, e.g. `GET /orders`. */
  routes: readonly string[];
  /** Listed in the `scopes` option. */
  configured: boolean;
}

/** The RFC 8414 §2 members this server publishes. */
export interface M2mServerMetadata {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  token_endpoint_auth_signing_alg_values_supported: string[];
  response_types_supported: string[];
  scopes_supported: string[];
  introspection_endpoint: string;
  introspection_endpoint_auth_methods_supported: string[];
  revocation_endpoint: string;
  revocation_endpoint_auth_methods_supported: string[];
  registration_endpoint?: string;
}

/**
 * The authorization server metadata document (RFC 8414). `scopes_supported` lists the scopes
 * that `@RequireScopes()` uses anywhere in the application, found once at start-up, plus the
 * configured extra scopes and, when the admin API is mounted, `m2m:admin`.
 */
@Injectable()
export class ServerMetadataService implements OnApplicationBootstrap {
  private metadata: M2mServerMetadata | undefined;
  private scopes: Map<string, ScopeOrigin> | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  onApplicationBootstrap(): void {
    const { issuer } = this.options;
    this.metadata = {
      issuer,
      token_endpoint: `${issuer}/${TOKEN_PATH}`,
      jwks_uri: `${issuer}/${JWKS_PATH}`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      // RFC 8414 §2: the JWS algorithms of private_key_jwt assertions.
      token_endpoint_auth_signing_alg_values_supported: [...M2M_SIGNING_ALGORITHMS],
      // RFC 8414 §2 makes this member required; there is no authorization endpoint, hence empty.
      response_types_supported: [],
      scopes_supported: [...this.scopeOrigins().keys()],
      introspection_endpoint: `${issuer}/${INTROSPECTION_PATH}`,
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      revocation_endpoint: `${issuer}/${REVOCATION_PATH}`,
      revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      ...(this.options.dynamicRegistration === null
        ? {}
        : { registration_endpoint: `${issuer}/${REGISTRATION_PATH}` }),
    };
  }

  document(): M2mServerMetadata {
    if (this.metadata === undefined) this.onApplicationBootstrap();
    return this.metadata!;
  }

  /** Every scope of `scopes_supported`, sorted, with where it comes from. */
  scopeOrigins(): ReadonlyMap<string, ScopeOrigin> {
    this.scopes ??= this.discoverScopes();
    return this.scopes;
  }

  private discoverScopes(): Map<string, ScopeOrigin> {
    const instances = this.discovery
      .getControllers()
      .map((wrapper) => wrapper.instance as object | undefined | null)
      .filter((instance): instance is object => instance != null);
    const required = discoverRequiredScopes(instances, this.scanner, this.reflector);
    // The admin API advertises m2m:admin this way when it is mounted.
    const own = [M2M_INTROSPECT_SCOPE, ...discoverAdvertisedScopes(instances, this.reflector)];
    const scopes = new Set([...required.keys(), ...this.options.scopes, ...own]);
    return new Map(
      [...scopes]
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((scope) => [
          scope,
          { routes: required.get(scope) ?? [], configured: this.options.scopes.includes(scope) },
        ]),
    );
  }
}
