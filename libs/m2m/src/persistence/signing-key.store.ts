import { Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity.js';

/** A signing key as stored: the public JWK in clear, the private JWK encrypted. */
export interface StoredSigningKey {
  kid: string;
  alg: string;
  status: 'active' | 'retired';
  publicJwk: string;
  privateJwkEncrypted: string;
  createdAt: Date;
}

/** Reads and writes `m2m_signing_keys`. */
@Injectable()
export class SigningKeyStore {
  constructor(private readonly rows: Repository<SigningKeyEntity>) {}

  async insert(key: StoredSigningKey): Promise<void> {
    await this.rows.insert({ ...key });
  }

  /** Every key that may still verify tokens, oldest first. */
  async findAll(): Promise<StoredSigningKey[]> {
    const rows = await this.rows.find({ order: { createdAt: 'ASC', kid: 'ASC' } });
    return rows.map((row) => ({ ...row, status: row.status as StoredSigningKey['status'] }));
  }
}
