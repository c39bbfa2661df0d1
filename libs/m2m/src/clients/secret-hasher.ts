/**
 * Hashes client secrets for storage and verifies presented secrets against a stored hash.
 * Provide your own under `M2M_SECRET_HASHER` to change the algorithm.
 */
export interface M2mSecretHasher {
  /** A self-describing hash of `secret` (algorithm and parameters included). */
  hash(secret: string): Promise<string>;
  /** Whether `secret` matches `hash`, in time that does not depend on where they differ. */
  verify(secret: string, hash: string): Promise<boolean>;
}
