import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import type { M2mCallContext } from '../domain/call-context.js';
import { SigningKeyConflictError } from '../errors/admin.error.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { type M2mSigningKeyView } from '../keys/signing-key.model.js';
import { M2M_SIGNING_ALGORITHMS } from '../options/module-options.js';
import { AdminApi } from './admin-api.decorator.js';
import { AdminContext } from './admin-context.decorator.js';
import { ApiStateConflict } from './admin-responses.decorator.js';

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

/** Admin API: the signing keys and their rotation. */
@AdminApi('M2M signing keys')
@Controller('m2m/signing-keys')
export class KeysAdminController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get()
  @ApiOperation({ summary: 'The signing keys, newest first' })
  @ApiOkResponse({ type: SigningKeyListDto })
  list(): SigningKeyListDto {
    return { data: this.keys.list().map(SigningKeyDto.from) };
  }

  @Post('rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate: the published next key starts signing, the active key is retired',
    description: 'The retired key stays in the JWKS until every token it signed has expired.',
  })
  @ApiOkResponse({ type: SigningKeyListDto })
  @ApiStateConflict(
    'Another instance rotated the keys at the same moment.',
    new SigningKeyConflictError(),
  )
  async rotate(@AdminContext() context: M2mCallContext): Promise<SigningKeyListDto> {
    return { data: (await this.keys.rotate(new Date(), context.actor)).map(SigningKeyDto.from) };
  }
}
