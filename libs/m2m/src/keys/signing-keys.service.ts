import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { importJWK, type CryptoKey, type JWK } from 'jose';
import { SYSTEM_ACTOR, type M2mActor } from '../domain/audit-event.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { SigningKeyConflictError } from '../errors/admin.error.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import { AuditStore } from '../stores/audit-store.js';
import { tokensIssuedAtGoneBy, type ResolvedM2mOptions } from '../options/resolved-options.js';
import { type M2mSigningAlgorithm } from '../options/module-options.js';
import {
  KeyRotationConflictError,
  SigningKeyStore,
  type StoredSigningKey,
} from '../stores/signing-key-store.js';
import { createJwsSigner } from './jws-signer.js';
import { openPrivateJwk } from './key-encryption.js';
import { generateSigningKey } from './signing-key-generation.js';
import type { ActiveSigningKey, M2mSigningKeyView } from './signing-key.model.js';

interface LoadedKey {
  stored: StoredSigningKey;
  publicJwk: JWK;
  publicKey: CryptoKey;
}

/** A refresh after an unknown `kid` happens at most this often. */
const REFRESH_COOLDOWN_MS = 10_000;
/** Every instance reloads the keys this often, to follow rotations made elsewhere. */
const RELOAD_EVERY_MS = 30_000;

/**
 * Signing keys: stored with the private part encrypted, served as a JWKS, and kept in memory so
 * that signing and verifying never touch the database.
 *
 * There is always one `active` key, which signs, and one `next` key, which is published in the
 * JWKS before it ever signs, so resource servers already have it when a rotation promotes it.
 * A rotation retires the active key, which stays published until every token it signed has
 * expired. Rotations are conditional updates in a transaction: with several instances on one
 * database, exactly one key is active.
 */
@Injectable()
export class SigningKeysService
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('M2mSigningKeys');
  private keys = new Map<string, LoadedKey>();
  private active: ActiveSigningKey | undefined;
  private lastRefresh = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly audit: AuditLog,
    private readonly auditStore: AuditStore,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensureKeys();
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.maintain().catch((e: Error) => this.logger.warn(e.message)),
      RELOAD_EVERY_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The key that signs new tokens. */
  activeKey(): ActiveSigningKey {
    if (this.active === undefined) {
      throw new Error('M2M signing keys are not loaded yet (the module has not been initialised).');
    }
    return this.active;
  }

  /**
   * The public key for a token header, or undefined. The header's `alg` must be the key's own
   * algorithm: a key is never used with another algorithm.
   */
  async verificationKey(kid: string, alg: string): Promise<CryptoKey | undefined> {
    let key = this.keys.get(kid);
    if (key === undefined && Date.now() - this.lastRefresh > REFRESH_COOLDOWN_MS) {
      // A key made by another instance on the same database.
      await this.reload();
      key = this.keys.get(kid);
    }
    // A retired key past its expiry signed nothing that is still valid.
    return key !== undefined && this.isUsable(kid, alg) ? key.publicKey : undefined;
  }

  /**
   * Whether a token signed with `kid` and `alg` may still be accepted: the key is loaded, it is
   * that algorithm's key, and it has not expired. Synchronous, for tokens already verified.
   */
  isUsable(kid: string, alg: string, now = Date.now()): boolean {
    const key = this.keys.get(kid);
    return (
      key !== undefined &&
      key.stored.alg === alg &&
      (key.stored.expiresAt === null || key.stored.expiresAt.getTime() > now)
    );
  }

  /** The JWKS document (RFC 7517): public parts only, next, active and retired keys. */
  jwks(): { keys: JWK[] } {
    return { keys: [...this.keys.values()].map((key) => key.publicJwk) };
  }

  /** The keys, newest first, for operators. */
  list(): M2mSigningKeyView[] {
    return [...this.keys.values()]
      .map(({ stored: { publicJwk: _p, privateJwkEncrypted: _e, ...view } }) => view)
      .reverse();
  }

  /**
   * Rotates: the next key (already published) becomes active, the active key is retired and
   * stays published until its tokens have expired, and a new next key is published.
   */
  async rotate(now = new Date(), actor: M2mActor = SYSTEM_ACTOR): Promise<M2mSigningKeyView[]> {
    await this.reload();
    const current = this.active?.kid ?? null;
    const next = [...this.keys.values()].find((key) => key.stored.status === 'next');
    if (next === undefined) throw new Error('No next signing key to promote.');
    try {
      await this.store.promote(current, next.stored.kid, now, this.retiredUntil(now));
    } catch (error) {
      if (error instanceof KeyRotationConflictError) {
        await this.reload();
        throw new SigningKeyConflictError();
      }
      throw error;
    }
    await this.store.insert(await this.generateKey('next', now));
    this.logger.log(
      `Rotated signing keys: ${next.stored.kid} is active, ${current ?? 'none'} retired`,
    );
    await this.audit.record(this.auditStore, {
      type: 'signing_key.rotated',
      clientId: null,
      ownerId: null,
      actor,
      details: { active_kid: next.stored.kid, retired_kid: current },
    });
    await this.reload();
    return this.list();
  }

  /** Reloads the keys, drops expired ones and rotates on schedule. Runs every 30 s. */
  private async maintain(now = new Date()): Promise<void> {
    await this.store.deleteExpired(now);
    await this.reload();
    const days = this.options.signingKeyRotationDays;
    const activatedAt =
      this.active === undefined ? undefined : this.keys.get(this.active.kid)?.stored.activatedAt;
    if (
      days !== null &&
      activatedAt != null &&
      now.getTime() - activatedAt.getTime() >= days * 86_400_000
    ) {
      try {
        await this.rotate(now);
      } catch (error) {
        // Another instance rotated at the same moment: rotate() reloaded its result.
        if (!(error instanceof SigningKeyConflictError)) throw error;
      }
    }
  }

  /** At start-up: an active key and a next key of the configured algorithm, exactly one active. */
  private async ensureKeys(now = new Date()): Promise<void> {
    const alg = this.options.signingAlgorithm;
    await this.store.deleteExpired(now);
    let stored = await this.store.findAll();
    const active = stored.find((key) => key.status === 'active');
    if (active === undefined || active.alg !== alg) {
      const next = stored.find((key) => key.status === 'next' && key.alg === alg);
      const promoted = next ?? (await this.generateKey('next', now));
      if (next === undefined) await this.store.insert(promoted);
      try {
        await this.store.promote(active?.kid ?? null, promoted.kid, now, this.retiredUntil(now));
      } catch (error) {
        if (!(error instanceof KeyRotationConflictError)) throw error;
      }
      stored = await this.store.findAll();
    }
    if (!stored.some((key) => key.status === 'next' && key.alg === alg)) {
      await this.store.insert(await this.generateKey('next', now));
      stored = await this.store.findAll();
    }
    const actives = stored.filter((key) => key.status === 'active');
    if (actives.length > 1) {
      // Two instances started on an empty database at once: keep the oldest.
      await this.store.retireOtherActive(actives[0]!.kid, now, this.retiredUntil(now));
      stored = await this.store.findAll();
    }
    await this.load(stored);
  }

  private retiredUntil(now: Date): Date {
    return new Date(tokensIssuedAtGoneBy(this.options, now.getTime()));
  }

  private async generateKey(
    status: StoredSigningKey['status'],
    now: Date,
  ): Promise<StoredSigningKey> {
    const key = await generateSigningKey(
      this.options.signingAlgorithm,
      status,
      this.options.keyEncryptionKey,
      now,
    );
    this.logger.log(`Generated a new ${key.alg} signing key ${key.kid} (${status})`);
    return key;
  }

  private async reload(): Promise<void> {
    await this.load(await this.store.findAll());
  }

  private async load(stored: StoredSigningKey[]): Promise<void> {
    const keys = new Map<string, LoadedKey>();
    for (const key of stored) {
      const publicJwk = JSON.parse(key.publicJwk) as JWK;
      const previous = this.keys.get(key.kid);
      keys.set(key.kid, {
        stored: key,
        publicJwk,
        publicKey: previous?.publicKey ?? ((await importJWK(publicJwk, key.alg)) as CryptoKey),
      });
    }
    const signer = stored.find((key) => key.status === 'active');
    if (signer !== undefined && signer.kid !== this.active?.kid) {
      const privateJwk = openPrivateJwk(
        signer.privateJwkEncrypted,
        this.options.keyEncryptionKey,
        signer.kid,
      );
      const alg = signer.alg as M2mSigningAlgorithm;
      const privateKey = (await importJWK(privateJwk as JWK, alg)) as CryptoKey;
      this.active = {
        kid: signer.kid,
        alg,
        privateKey,
        sign: createJwsSigner(alg, signer.kid, privateKey),
      };
    }
    this.keys = keys;
    this.lastRefresh = Date.now();
  }
}
