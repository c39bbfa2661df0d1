import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ClientsAdminController } from '../admin/clients-admin.controller.js';
import { M2M_ADMIN_SCOPE } from '../m2m.constants.js';
import { REQUIRED_SCOPES_METADATA } from '../m2m.internal-constants.js';
import { resolveM2mOptions } from '../options/resolve-options.js';
import { type M2mModuleOptions } from '../options/module-options.js';
import { ServerMetadataService } from './server-metadata.service.js';

class DemoController {
  read(): void {}
  write(): void {}
}

const scopesOf = new Map<object, string[]>([
  [DemoController, ['demo:any']],
  [DemoController.prototype.read, ['reports:read']],
  [DemoController.prototype.write, ['reports:write', 'reports:read']],
]);

function metadataFor(controllers: object[], options: Partial<M2mModuleOptions> = {}) {
  const discovery = { getControllers: () => controllers.map((instance) => ({ instance })) };
  const scanner = {
    getAllMethodNames: (prototype: object) =>
      Object.getOwnPropertyNames(prototype).filter((name) => name !== 'constructor'),
  };
  const reflector = {
    get: (key: string, target: object): unknown =>
      key === REQUIRED_SCOPES_METADATA ? scopesOf.get(target) : Reflect.getMetadata(key, target),
  };
  const resolved = resolveM2mOptions({
    issuer: 'https://auth.example.com/',
    keyEncryptionKey: Buffer.alloc(32, 3).toString('base64'),
    production: false,
    ...options,
  });
  return new ServerMetadataService(
    discovery as unknown as DiscoveryService,
    scanner as unknown as MetadataScanner,
    reflector as unknown as Reflector,
    resolved,
  ).document();
}

const admin = () => Object.create(ClientsAdminController.prototype) as object;

describe('authorization server metadata (RFC 8414 §2)', () => {
  it('advertises m2m:admin when the admin API is mounted', () => {
    expect(metadataFor([admin()]).scopes_supported).toContain(M2M_ADMIN_SCOPE);
  });

  it('does not advertise m2m:admin without the admin API', () => {
    expect(metadataFor([new DemoController()]).scopes_supported).not.toContain(M2M_ADMIN_SCOPE);
  });

  it('scopes_supported: configured, @RequireScopes() and admin scopes, once each, sorted', () => {
    expect(
      metadataFor([new DemoController(), admin()], { scopes: ['other:scope', 'reports:read'] })
        .scopes_supported,
    ).toEqual([
      'demo:any',
      'm2m:admin',
      'm2m:introspect',
      'other:scope',
      'reports:read',
      'reports:write',
    ]);
  });

  it('the contract members, built on the normalised issuer', () => {
    const document = metadataFor([]);
    expect({
      issuer: document.issuer,
      token_endpoint: document.token_endpoint,
      jwks_uri: document.jwks_uri,
      grant_types_supported: document.grant_types_supported,
      token_endpoint_auth_methods_supported: document.token_endpoint_auth_methods_supported,
    }).toEqual({
      issuer: 'https://auth.example.com',
      token_endpoint: 'https://auth.example.com/oauth2/token',
      jwks_uri: 'https://auth.example.com/.well-known/jwks.json',
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
      ],
    });
  });

  it('never advertises a symmetric or none signing algorithm', () => {
    expect(metadataFor([]).token_endpoint_auth_signing_alg_values_supported).toEqual([
      'ES256',
      'EdDSA',
      'RS256',
      'PS256',
    ]);
  });
});
