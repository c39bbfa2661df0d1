import type { INestApplication } from '@nestjs/common';
import { M2mConfigurationError } from '../errors/m2m-configuration.error.js';
import { m2mSecuritySchemeOf } from './openapi.js';
import { ServerMetadataService, type ScopeOrigin } from './server-metadata.service.js';

const routes = (count: number) => Array.from({ length: count }, (_, i) => `GET /r${i + 1}`);

const origins = new Map<string, ScopeOrigin>([
  ['a:many', { routes: routes(7), configured: false }],
  ['a:two', { routes: routes(2), configured: true }],
  ['m2m:admin', { routes: [], configured: false }],
  ['m2m:introspect', { routes: [], configured: false }],
  ['other:api', { routes: [], configured: true }],
  ['unrouted', { routes: [], configured: false }],
]);

function appWith(service: Partial<ServerMetadataService> | undefined): INestApplication {
  return {
    get: (token: unknown) => {
      if (token !== ServerMetadataService || service === undefined) {
        throw new Error('Nest could not find ServerMetadataService element');
      }
      return service;
    },
  } as unknown as INestApplication;
}

const app = appWith({
  scopeOrigins: () => origins,
  document: () =>
    ({ issuer: 'https://auth.example.com' }) as ReturnType<ServerMetadataService['document']>,
});

describe('m2mSecuritySchemeOf', () => {
  it('every scope of the server, described by its origin unless the caller describes it', () => {
    expect(m2mSecuritySchemeOf(app, { 'other:api': 'Sync partner data.' })).toEqual({
      type: 'oauth2',
      description: 'M2M access token from the client credentials grant.',
      flows: {
        clientCredentials: {
          tokenUrl: 'https://auth.example.com/oauth2/token',
          scopes: {
            'a:many': 'Required by GET /r1, GET /r2, GET /r3, GET /r4, GET /r5 and 2 more.',
            'a:two': 'Required by GET /r1, GET /r2.',
            'm2m:admin': 'The admin API: clients, signing keys, audit events and revocations.',
            'm2m:introspect': 'Token introspection (RFC 7662).',
            'other:api': 'Sync partner data.',
            unrouted: 'Required by `@RequireScopes()` in this application.',
          },
        },
      },
    });
  });

  it('a configured scope without a route or a description says where it comes from', () => {
    const scopes = m2mSecuritySchemeOf(app).flows!.clientCredentials!.scopes;
    expect(scopes['other:api']).toBe('Configured in the module options (`scopes`).');
  });

  it('an application without M2mModule: an error that names the alternative', () => {
    expect(() => m2mSecuritySchemeOf(appWith(undefined))).toThrow(
      new M2mConfigurationError(
        'm2mSecuritySchemeOf() needs an application that imports M2mModule (the authorization server). For a resource server, use m2mSecurityScheme(issuer, scopes).',
      ),
    );
  });
});
