import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ClientsAdminController } from '../admin/clients-admin.controller.js';
import { REGISTRATION_PATH } from '../clients/client-registration.service.js';
import { M2M_ADMIN_SCOPE, M2M_INTROSPECT_SCOPE } from '../m2m.constants.js';
import { M2M_RESOLVED_OPTIONS, REQUIRED_SCOPES_METADATA } from '../m2m.internal-constants.js';
import { M2M_SIGNING_ALGORITHMS, type ResolvedM2mOptions } from '../m2m-options.js';

/** Path of the token endpoint. */
export const TOKEN_PATH = 'oauth2/token';
/** Path of the JWKS. */
export const JWKS_PATH = '.well-known/jwks.json';
/** Path of the introspection endpoint (RFC 7662). */
export const INTROSPECTION_PATH = 'oauth2/introspect';
/** Path of the revocation endpoint (RFC 7009). */
export const REVOCATION_PATH = 'oauth2/revoke';

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];

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
      scopes_supported: this.discoverScopes(),
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

  private discoverScopes(): string[] {
    const scopes = new Set([...this.options.scopes, M2M_INTROSPECT_SCOPE]);
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (instance === undefined || instance === null) continue;
      if (instance instanceof ClientsAdminController) scopes.add(M2M_ADMIN_SCOPE);
      const prototype = Object.getPrototypeOf(instance) as object;
      const add = (target: object) =>
        this.reflector
          .get<string[] | undefined>(REQUIRED_SCOPES_METADATA, target as never)
          ?.forEach((s) => scopes.add(s));
      add(instance.constructor);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        add((prototype as Record<string, object>)[method]!);
      }
    }
    return [...scopes].sort();
  }
}
