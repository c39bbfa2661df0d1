/**
 * Used private_key_jwt assertion ids, until they expire (RFC 7523 §3 replay check). The module's TypeORM implementation is `TypeOrmAssertionJtiStore`; another database or a cache
 * implements this contract.
 */
export abstract class AssertionJtiStore {
  /**
   * Records the assertion's `jti` for this client; false when it was already used. The primary
   * key makes this atomic across instances.
   */
  abstract use(clientId: string, jti: string, expiresAt: Date, now?: Date): Promise<boolean>;
}
