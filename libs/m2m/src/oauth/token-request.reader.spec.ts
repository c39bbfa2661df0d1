import { InvalidTargetError, OAuthError } from '../errors/oauth.error.js';
import { FORM, read, rejection } from '../__fixtures__/token-http-request.js';

describe('readTokenRequest', () => {
  describe('content type', () => {
    it.each([
      FORM,
      `${FORM}; charset=UTF-8`,
      'application/json',
      'Application/JSON; charset=utf-8',
    ])('accepts %s', (contentType) => {
      expect(read({ contentType, body: { grant_type: 'client_credentials' } }).grantType).toBe(
        'client_credentials',
      );
    });

    it.each([undefined, 'text/plain', 'multipart/form-data; boundary=x'])(
      'rejects %s',
      (contentType) => {
        expect(rejection({ contentType }).description).toBe(
          'The request body must be application/x-www-form-urlencoded or application/json.',
        );
      },
    );

    it.each([null, [], 'grant_type=client_credentials'])(
      'rejects a body that is not an object: %j',
      (body) => {
        expect(rejection({ body }).description).toBe(
          'The request body must hold the token request parameters.',
        );
      },
    );
  });

  describe('parameters', () => {
    it('reads grant_type and scope, ignores unknown parameters, and treats empty as absent', () => {
      const request = read({
        body: { grant_type: 'client_credentials', scope: '', resource_hint: 'x' },
      });
      expect(request).toEqual({
        grantType: 'client_credentials',
        scope: undefined,
        resource: undefined,
        credentials: null,
        assertion: null,
        usedBasic: false,
      });
    });

    it.each([
      [
        'a repeated parameter (array)',
        { grant_type: ['client_credentials', 'client_credentials'] },
        'grant_type',
      ],
      ['an object value', { client_id: { x: 'y' } }, 'client_id'],
      ['a number', { grant_type: 42 }, 'grant_type'],
      ['a boolean', { scope: true }, 'scope'],
      ['a bracketed name (scope[])', { 'scope[]': 'a' }, 'scope'],
      ['a bracketed name (client_id[x])', { 'client_id[x]': 'a' }, 'client_id'],
    ])('rejects %s', (_name, body, parameter) => {
      expect(rejection({ body }).description).toBe(
        `The ${parameter} parameter must be a single string value.`,
      );
    });

    it('ignores structured values of parameters it does not read', () => {
      expect(
        read({ body: { grant_type: 'client_credentials', extra: ['a', 'b'], 'other[x]': 'y' } })
          .grantType,
      ).toBe('client_credentials');
    });
  });

  describe('resource indicators (RFC 8707 §2)', () => {
    function targetRejection(body: Record<string, unknown>): OAuthError {
      try {
        read({ body });
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidTargetError);
        return error as OAuthError;
      }
      throw new Error('expected an invalid_target');
    }

    it.each([
      ['several resource values', { resource: ['https://a.example', 'https://b.example'] }],
      ['a bracketed resource', { 'resource[]': 'https://a.example' }],
      [
        'resource and audience that differ',
        { resource: 'https://a.example', audience: 'https://b.example' },
      ],
    ])('%s: 400 invalid_target', (_name, body) => {
      const error = targetRejection(body);
      expect([error.error, error.status, error.description]).toEqual([
        'invalid_target',
        400,
        'Only one resource may be requested per token.',
      ]);
    });

    it('audience is an alias of resource', () => {
      expect(read({ body: { audience: 'https://a.example' } }).resource).toBe('https://a.example');
      expect(
        read({ body: { resource: 'https://a.example', audience: 'https://a.example' } }).resource,
      ).toBe('https://a.example');
    });
  });

  it('every rejection is a 400 invalid_request', () => {
    const error = rejection({ contentType: 'text/plain' });
    expect([error.error, error.status]).toEqual(['invalid_request', 400]);
  });
});
