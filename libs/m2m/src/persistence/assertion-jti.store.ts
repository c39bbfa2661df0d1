import { LessThan, type Repository } from 'typeorm';
import { AssertionJtiEntity } from './assertion-jti.entity.js';

import { AssertionJtiStore } from '../stores/assertion-jti-store.js';

/** Remembers used client assertions until they expire, shared by every instance. */
export class TypeOrmAssertionJtiStore implements AssertionJtiStore {
  private lastPurge = 0;

  constructor(private readonly rows: Repository<AssertionJtiEntity>) {}

  async use(clientId: string, jti: string, expiresAt: Date, now = new Date()): Promise<boolean> {
    if (now.getTime() - this.lastPurge > 60_000) {
      this.lastPurge = now.getTime();
      await this.rows.delete({ expiresAt: LessThan(now) as never });
    }
    if ((await this.rows.countBy({ clientId, jti })) > 0) return false;
    try {
      await this.rows.insert({ clientId, jti, expiresAt });
      return true;
    } catch {
      // A concurrent insert of the same (client, jti) won.
      return false;
    }
  }
}
