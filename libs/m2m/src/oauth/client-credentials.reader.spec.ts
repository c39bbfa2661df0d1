import { basicOf, read, rejection } from '../__fixtures__/token-http-request.js';

// Client authentication as every client-authenticated endpoint reads it, through the token
// endpoint's first step.

describe('client_secret_basic (RFC 6749 §2.3.1)', () => {
  it('decodes form-urlencoded id and secret, splitting on the first colon', () => {
    const request = read({ authorization: basicOf('my%20client:s%3Acret+x:y') });
    expect(request.credentials).toEqual({
      clientId: 'my client',
      clientSecret: 's:cret x:y',
      method: 'client_secret_basic',
    });
    expect(request.usedBasic).toBe(true);
  });

  it('decodes %3A and + in the client id as well', () => {
    expect(read({ authorization: basicOf('a%3Ab+c:secret') }).credentials).toEqual({
      clientId: 'a:b c',
      clientSecret: 'secret',
      method: 'client_secret_basic',
    });
  });

  it('keeps every colon after the first in the secret', () => {
    expect(read({ authorization: basicOf('id::a:b:') }).credentials?.clientSecret).toBe(':a:b:');
  });

  it('decodes UTF-8 percent-encoding', () => {
    expect(read({ authorization: basicOf('caf%C3%A9:s') }).credentials?.clientId).toBe('café');
  });

  it('tolerates several spaces after the scheme', () => {
    expect(
      read({ authorization: `Basic    ${Buffer.from('a:b').toString('base64')}` }).credentials,
    ).toEqual({
      clientId: 'a',
      clientSecret: 'b',
      method: 'client_secret_basic',
    });
  });

  it('accepts the scheme in any case', () => {
    expect(
      read({ authorization: `bAsIc ${Buffer.from('a:b').toString('base64')}` }).credentials
        ?.clientId,
    ).toBe('a');
  });

  it('accepts an empty secret (it then fails authentication, not parsing)', () => {
    expect(read({ authorization: basicOf('a:') }).credentials).toEqual({
      clientId: 'a',
      clientSecret: '',
      method: 'client_secret_basic',
    });
  });

  it.each([
    ['no credentials', 'Basic'],
    ['not base64', 'Basic %%%%'],
    ['bad base64 length', 'Basic YWJjOmQ'],
    ['misplaced padding', 'Basic YQ==YWJj'],
    ['the base64url alphabet', `Basic ${Buffer.from('a:b??>').toString('base64url')}`],
    ['only spaces after the scheme', 'Basic   '],
    ['an empty header', ''],
    ['no colon', basicOf('justanid')],
    ['an empty id', basicOf(':secret')],
    ['bad percent-encoding', basicOf('%zz:secret')],
    ['extra parts', `${basicOf('a:b')} extra`],
  ])('rejects %s', (_name, authorization) => {
    expect(rejection({ authorization }).description).toBe('The Authorization header is malformed.');
  });

  it.each(['Bearer abc', 'Digest abc', 'bearer eyJhbGciOiJFUzI1NiJ9.e30.sig'])(
    'rejects another scheme: %s',
    (authorization) => {
      expect(rejection({ authorization }).description).toBe(
        'Client authentication must use HTTP Basic or the request body.',
      );
    },
  );

  it('a malformed header never echoes the credentials, publicly or privately', () => {
    const secret = 'm2ms_%zzVerySecretValue';
    const error = rejection({ authorization: basicOf(`client:${secret}`) });
    expect([error.description, error.detail]).toEqual([
      'The Authorization header is malformed.',
      'bad percent-encoding',
    ]);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('VerySecret');
  });

  it('rejects Basic together with client_secret in the body, even for the same client', () => {
    expect(
      rejection({
        authorization: basicOf('a:b'),
        body: { client_id: 'a', client_secret: 'b' },
      }).description,
    ).toBe('The client must use only one authentication method.');
  });

  it('an empty body client_secret beside Basic counts as absent', () => {
    expect(
      read({ authorization: basicOf('a:b'), body: { client_id: '', client_secret: '' } })
        .credentials,
    ).toEqual({ clientId: 'a', clientSecret: 'b', method: 'client_secret_basic' });
  });

  it('compares the body client_id with the decoded Basic id', () => {
    expect(
      read({ authorization: basicOf('a%2Fb:s'), body: { client_id: 'a/b' } }).credentials?.clientId,
    ).toBe('a/b');
    expect(rejection({ authorization: basicOf('a:s'), body: { client_id: 'A' } }).description).toBe(
      'The client_id parameter does not match the authenticated client.',
    );
  });

  it('rejects Basic together with client_secret in the body', () => {
    expect(
      rejection({ authorization: basicOf('a:b'), body: { client_secret: 'b' } }).description,
    ).toBe('The client must use only one authentication method.');
  });

  it('rejects Basic for one client with a body client_id of another', () => {
    expect(rejection({ authorization: basicOf('a:b'), body: { client_id: 'c' } }).description).toBe(
      'The client_id parameter does not match the authenticated client.',
    );
  });

  it('accepts Basic with a body client_id of the same client', () => {
    expect(
      read({ authorization: basicOf('a:b'), body: { client_id: 'a' } }).credentials?.clientId,
    ).toBe('a');
  });
});

describe('client_secret_post', () => {
  it('reads client_id and client_secret from the body', () => {
    expect(read({ body: { client_id: 'a', client_secret: 'b' } }).credentials).toEqual({
      clientId: 'a',
      clientSecret: 'b',
      method: 'client_secret_post',
    });
  });

  it('usedBasic is false without an Authorization header', () => {
    expect(read({ body: { client_id: 'a', client_secret: 'b' } }).usedBasic).toBe(false);
  });

  it('an empty client_secret counts as absent: no credentials', () => {
    expect(read({ body: { client_id: 'a', client_secret: '' } }).credentials).toBeNull();
  });

  it('reads the same parameters from a JSON body', () => {
    expect(
      read({
        contentType: 'application/json',
        body: {
          grant_type: 'client_credentials',
          client_id: 'a',
          client_secret: 'b',
          scope: 'x y',
        },
      }),
    ).toEqual({
      grantType: 'client_credentials',
      scope: 'x y',
      resource: undefined,
      credentials: { clientId: 'a', clientSecret: 'b', method: 'client_secret_post' },
      assertion: null,
      usedBasic: false,
    });
  });

  it('has no credentials with a client_id alone or a secret alone', () => {
    expect(read({ body: { client_id: 'a' } }).credentials).toBeNull();
    expect(read({ body: { client_secret: 'b' } }).credentials).toBeNull();
  });
});
