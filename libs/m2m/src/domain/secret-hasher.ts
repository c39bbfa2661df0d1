/**
 * Hashes client secrets for storage and verifies presented secrets against a stored hash.
 * Give your own class as the module's `secretHasher` extra to change the algorithm; the module
 * provides the one in use under `M2M_SECRET_HASHER`.
 */
export interface M2mSecretHasher {
  /** A self-describing hash of `secret` (algorithm and parameters included). */
  hash(secret: string): Promise<string>;
  /** Whether `secret` matches `hash`, in time that does not depend on where they differ. */
  verify(secret: string, hash: string): Promise<boolean>;
}
