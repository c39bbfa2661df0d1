import { parseChallenges, saysInvalidToken } from './www-authenticate.js';

describe('WWW-Authenticate', () => {
  it('parses a Bearer challenge with quoted parameters', () => {
    expect(
      parseChallenges(
        'Bearer realm="m2m", error="invalid_token", error_description="The token \\"x\\" expired"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'm2m',
          error: 'invalid_token',
          error_description: 'The token "x" expired',
        },
      },
    ]);
  });

  it('parses several challenges, token68 and unquoted values', () => {
    expect(parseChallenges('Basic YWxhZGRpbjpvcGVu==, bearer error=invalid_token')).toEqual([
      { scheme: 'basic', params: {}, token68: 'YWxhZGRpbjpvcGVu==' },
      { scheme: 'bearer', params: { error: 'invalid_token' } },
    ]);
    expect(parseChallenges('Newauth realm="apps", type=1, Bearer realm="m2m"')).toEqual([
      { scheme: 'newauth', params: { realm: 'apps', type: '1' } },
      { scheme: 'bearer', params: { realm: 'm2m' } },
    ]);
  });

  it.each([
    ['Bearer realm="m2m", error="invalid_token"', true],
    ['BEARER ERROR="invalid_token"', true],
    ['Basic realm="x", Bearer error="invalid_token"', true],
    ['Bearer realm="m2m"', false],
    ['Bearer realm="m2m", error="insufficient_scope", scope="a"', false],
    ['Bearer realm="error=\\"invalid_token\\""', false],
    ['DPoP error="invalid_token"', false],
    [null, false],
  ])('%s says invalid_token: %s', (header, expected) => {
    expect(saysInvalidToken(header)).toBe(expected);
  });
});
