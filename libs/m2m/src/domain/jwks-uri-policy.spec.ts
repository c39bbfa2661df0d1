import { JwksUriPolicy } from './jwks-uri-policy.js';

describe('JwksUriPolicy', () => {
  const production = new JwksUriPolicy(true);
  const development = new JwksUriPolicy(false);

  it.each([
    ['http://keys.example.com/jwks', 'must be an https URL'],
    [
      'https://10.0.0.1/jwks',
      'must not point to a loopback, private, link-local or metadata address',
    ],
    [
      'https://169.254.169.254/latest/meta-data',
      'must not point to a loopback, private, link-local or metadata address',
    ],
    [
      'https://127.0.0.1/jwks',
      'must not point to a loopback, private, link-local or metadata address',
    ],
    ['https://[::1]/jwks', 'must not point to a loopback, private, link-local or metadata address'],
    [
      'https://[fd00:ec2::254]/jwks',
      'must not point to a loopback, private, link-local or metadata address',
    ],
    [
      'https://localhost/jwks',
      'must not point to a loopback, private, link-local or metadata address',
    ],
    ['https://user:pass@keys.example.com/jwks', 'must not hold credentials'],
    ['not a url', 'must be an absolute URL'],
  ])('in production refuses %s', (uri, reason) => {
    expect(production.refusal(uri)).toBe(reason);
  });

  it.each(['https://keys.example.com/jwks', 'https://93.184.216.34/jwks'])(
    'in production accepts %s (its host is checked again once resolved)',
    (uri) => {
      expect(production.refusal(uri)).toBeNull();
    },
  );

  it.each(['http://127.0.0.1:8080/jwks', 'https://10.0.0.1/jwks', 'http://localhost/jwks'])(
    'outside production accepts http and private addresses: %s',
    (uri) => {
      expect(development.refusal(uri)).toBeNull();
    },
  );

  it('refuses other schemes everywhere', () => {
    expect(development.refusal('file:///etc/passwd')).toBe('must be an http or https URL');
  });

  it.each([
    ['10.1.2.3', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
  ])('in production, the resolved address %s is allowed: %s', (address, allowed) => {
    expect(production.allowsAddress(address)).toBe(allowed);
  });

  it('lets an explicit allow-list open private networks for private deployments', () => {
    const policy = new JwksUriPolicy(true, ['10.20.0.0/16', '192.168.7.7', 'fd12::/16']);
    expect(policy.allowsAddress('10.20.3.4')).toBe(true);
    expect(policy.allowsAddress('10.21.3.4')).toBe(false);
    expect(policy.allowsAddress('192.168.7.7')).toBe(true);
    expect(policy.allowsAddress('fd12::1')).toBe(true);
    expect(policy.refusal('https://10.20.0.9/jwks')).toBeNull();
  });

  it('names the first malformed allow-list entry', () => {
    expect(JwksUriPolicy.invalidNetwork(['10.0.0.0/8', '10.0.0.0/33'])).toBe('10.0.0.0/33');
    expect(JwksUriPolicy.invalidNetwork(['keys.internal'])).toBe('keys.internal');
    expect(JwksUriPolicy.invalidNetwork(['fd00::/8', '127.0.0.1'])).toBeNull();
  });
});
