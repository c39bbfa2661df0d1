import { InvalidClientMetadataError } from '../errors/oauth.error.js';
import { readClientMetadata, readClientMetadataUpdate } from './client-metadata.reader.js';

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidClientMetadataError);
    return (error as InvalidClientMetadataError).description;
  }
  throw new Error('expected invalid_client_metadata');
}

describe('readClientMetadata (RFC 7591 §2)', () => {
  it('defaults: a named client with a secret and no scope', () => {
    expect(readClientMetadata({})).toEqual({
      clientName: 'Dynamically registered client',
      scopes: [],
    });
  });

  it('reads the metadata this server understands and ignores the rest', () => {
    const jwks = { keys: [] };
    expect(
      readClientMetadata({
        client_name: 'reporting',
        scope: ' reports:read  reports:write ',
        token_endpoint_auth_method: 'private_key_jwt',
        grant_types: ['client_credentials'],
        response_types: [],
        jwks,
        jwks_uri: 'https://client.example.com/jwks.json',
        logo_uri: 'https://client.example.com/logo.png',
      }),
    ).toEqual({
      clientName: 'reporting',
      scopes: ['reports:read', 'reports:write'],
      authMethod: 'private_key_jwt',
      jwks,
      jwksUri: 'https://client.example.com/jwks.json',
    });
  });

  it.each([
    [null, 'The request body must be a JSON object of client metadata.'],
    [['client_name'], 'The request body must be a JSON object of client metadata.'],
    [
      { token_endpoint_auth_method: 'none' },
      'token_endpoint_auth_method must be client_secret_basic, client_secret_post or private_key_jwt.',
    ],
    [
      { grant_types: ['authorization_code'] },
      'Only the client_credentials grant type can be registered.',
    ],
    [
      { response_types: ['code'] },
      'No response types can be registered: this server has no authorization endpoint.',
    ],
    [{ scope: ['a'] }, 'scope must be a space-delimited string.'],
    [{ client_name: 7 }, 'client_name must be a string.'],
  ])('refuses %j', (body, description) => {
    expect(refusal(() => readClientMetadata(body))).toBe(description);
  });
});

describe('readClientMetadataUpdate (RFC 7592 §2.2)', () => {
  it('accepts the registration’s own client_id', () => {
    expect(readClientMetadataUpdate({ client_id: 'm2mc_a' }, 'm2mc_a').scopes).toEqual([]);
  });

  it('refuses another client_id before anything else', () => {
    expect(
      refusal(() => readClientMetadataUpdate({ client_id: 'm2mc_b', grant_types: 1 }, 'm2mc_a')),
    ).toBe('The client_id does not match the registration.');
  });
});
