import { Inject, Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import type { M2mSecretHasher } from '../domain/secret-hasher.js';

/**
 * The default {@link M2mSecretHasher}: bcrypt with the configured cost. bcrypt's own compare
 * does not stop at the first differing byte, so verification is constant-time.
 */
@Injectable()
export class BcryptSecretHasher implements M2mSecretHasher {
  constructor(@Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions) {}

  hash(secret: string): Promise<string> {
    return bcrypt.hash(secret, this.options.bcryptCost);
  }

  verify(secret: string, hash: string): Promise<boolean> {
    return bcrypt.compare(secret, hash);
  }
}
