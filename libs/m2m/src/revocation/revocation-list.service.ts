import { Injectable } from '@nestjs/common';

/** Version of a deleted client: every token it ever had is below it. */
export const DELETED_CLIENT_VERSION = 2_147_483_647;

/**
 * The revocations the guard checks, held in memory so that a protected request never waits on
 * the database: per client, the lowest token version still valid; and the revoked `jti`s. The
 * change feed fills it: at start-up, at once for revocations made by this instance, and every
 * `revocationRefreshMs` for those made by other instances.
 */
@Injectable()
export class RevocationList {
  private readonly clientVersions = new Map<string, { version: number; expiresAt: number }>();
  private readonly tokens = new Map<string, number>();

  /** Whether a token of `clientId` with this version and `jti` is revoked. O(1). */
  isRevoked(clientId: string, tokenVersion: number, jti: string, now = Date.now()): boolean {
    const client = this.clientVersions.get(clientId);
    if (client !== undefined && client.expiresAt > now && tokenVersion < client.version)
      return true;
    const tokenExpiry = this.tokens.get(jti);
    return tokenExpiry !== undefined && tokenExpiry > now;
  }

  /** Revokes one token until `expiresAt` (epoch ms), after which it is invalid anyway. */
  revokeToken(jti: string, expiresAt: number): void {
    this.tokens.set(jti, Math.max(expiresAt, this.tokens.get(jti) ?? 0));
  }

  /** Revokes the client's tokens below `version`; never lowers a version already known. */
  revokeClientTokens(clientId: string, version: number, expiresAt: number): void {
    const known = this.clientVersions.get(clientId);
    if (known === undefined || known.version <= version) {
      this.clientVersions.set(clientId, {
        version,
        expiresAt: Math.max(expiresAt, known?.expiresAt ?? 0),
      });
    }
  }

  /** Forgets entries once every token they concern has expired. */
  prune(now = Date.now()): void {
    for (const [jti, expiresAt] of this.tokens) if (expiresAt <= now) this.tokens.delete(jti);
    for (const [id, entry] of this.clientVersions)
      if (entry.expiresAt <= now) this.clientVersions.delete(id);
  }
}
