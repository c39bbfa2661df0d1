import { ConfigError } from '../config.js';
import { resourceServerOptions } from './resource-server.module.js';

describe('resourceServerOptions', () => {
  it('defaults: port 3001, the local authorization server as issuer and audience', () => {
    expect(resourceServerOptions({})).toEqual({
      port: 3001,
      issuer: 'http://localhost:3000',
      audience: 'http://localhost:3000',
    });
  });

  it('reads PORT, M2M_ISSUER, M2M_AUDIENCE and M2M_JWKS_URI; empty values count as unset', () => {
    expect(
      resourceServerOptions({
        PORT: '8080',
        M2M_ISSUER: 'https://auth.example.com',
        M2M_AUDIENCE: 'https://orders.example.com',
        M2M_JWKS_URI: 'https://auth.example.com/keys',
        DATABASE_URL: 'not read here',
      }),
    ).toEqual({
      port: 8080,
      issuer: 'https://auth.example.com',
      audience: 'https://orders.example.com',
      jwksUri: 'https://auth.example.com/keys',
    });
    expect(resourceServerOptions({ M2M_ISSUER: 'https://a.example', M2M_AUDIENCE: '' })).toEqual({
      port: 3001,
      issuer: 'https://a.example',
      audience: 'https://a.example',
    });
  });

  it.each([
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535; got "70000".'],
    [
      { M2M_ISSUER: 'auth.example.com' },
      'M2M_ISSUER must be the server\'s base URL, http(s)://host[:port][/path] without query or fragment; got "auth.example.com".',
    ],
    [
      { M2M_AUDIENCE: 'orders api' },
      'M2M_AUDIENCE must be an absolute URI without fragment (e.g. https://api.example.com); got "orders api".',
    ],
    [{ M2M_JWKS_URI: 'file:///keys' }, 'M2M_JWKS_URI must be an http(s) URL; got "file:///keys".'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => resourceServerOptions(env)).toThrow(new ConfigError(message));
  });
});
