import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a `jwks_uri` may not point to in production: loopback, private networks,
 * link-local (which holds the cloud metadata service, 169.254.169.254), carrier-grade NAT,
 * multicast, documentation and reserved ranges (RFC 6890), in IPv4 and IPv6.
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Where the keys of `private_key_jwt` clients may be fetched from. */
export class JwksUriPolicy {
  private readonly allowed = new BlockList();

  /**
   * @param production https only, and no non-public address unless allowed
   * @param allowedNetworks addresses or CIDR ranges (`10.20.0.0/16`, `fd00::/8`) allowed anyway
   */
  constructor(
    readonly production: boolean,
    allowedNetworks: readonly string[] = [],
  ) {
    for (const entry of allowedNetworks) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.allowed.addAddress(address!, family);
      else this.allowed.addSubnet(address!, Number(prefix), family);
    }
  }

  /** Checks `allowedNetworks` entries; the message of the first bad one, or null. */
  static invalidNetwork(entries: readonly string[]): string | null {
    for (const entry of entries) {
      const [address, prefix, extra] = String(entry).split('/');
      const version = isIP(address ?? '');
      const bits = version === 6 ? 128 : 32;
      const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
      if (version === 0 || !prefixOk || extra !== undefined) return String(entry);
    }
    return null;
  }

  /** Why `uri` may not be registered, or null when it may (the host is resolved at fetch time). */
  refusal(uri: string): string | null {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return 'must be an absolute URL';
    }
    if (url.protocol !== 'https:' && (this.production || url.protocol !== 'http:')) {
      return this.production ? 'must be an https URL' : 'must be an http or https URL';
    }
    if (url.username !== '' || url.password !== '') return 'must not hold credentials';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!this.production) return null;
    if (host === 'localhost' || host.endsWith('.localhost')) {
      return 'must not point to a loopback, private, link-local or metadata address';
    }
    if (isIP(host) !== 0 && !this.allowsAddress(host)) {
      return 'must not point to a loopback, private, link-local or metadata address';
    }
    return null;
  }

  /** Whether a resolved address may be connected to. */
  allowsAddress(address: string): boolean {
    if (!this.production) return true;
    const family = isIP(address);
    if (family === 0) return false;
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (this.allowed.check(address, type)) return true;
    // IPv4 written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped !== null) return this.allowsAddress(mapped[1]!);
    return !NON_PUBLIC.check(address, type);
  }
}
