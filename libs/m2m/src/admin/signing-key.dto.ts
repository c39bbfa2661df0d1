import { ApiProperty } from '@nestjs/swagger';
import type { M2mSigningKeyView } from '../keys/signing-key.model.js';
import { M2M_SIGNING_ALGORITHMS } from '../options/module-options.js';

/** A signing key: public information only. */
export class SigningKeyDto {
  @ApiProperty()
  kid!: string;

  @ApiProperty({ enum: M2M_SIGNING_ALGORITHMS })
  alg!: string;

  @ApiProperty({
    enum: ['next', 'active', 'retired'],
    description: 'next: published, not yet signing.',
  })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  activated_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  retired_at!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a retired key leaves the JWKS.',
  })
  expires_at!: string | null;

  static from(key: M2mSigningKeyView): SigningKeyDto {
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    return Object.assign(new SigningKeyDto(), {
      kid: key.kid,
      alg: key.alg,
      status: key.status,
      created_at: key.createdAt.toISOString(),
      activated_at: iso(key.activatedAt),
      retired_at: iso(key.retiredAt),
      expires_at: iso(key.expiresAt),
    });
  }
}

/** The signing keys, newest first: what the admin API returns. */
export class SigningKeyListDto {
  @ApiProperty({ type: [SigningKeyDto] })
  data!: SigningKeyDto[];
}
