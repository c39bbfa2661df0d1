import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { M2mCallContext } from '../domain/call-context.js';
import { SigningKeyConflictError } from '../errors/admin.error.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { AdminApi } from './admin-api.decorator.js';
import { AdminContext } from './admin-context.decorator.js';
import { ApiStateConflict } from './admin-responses.decorator.js';
import { SigningKeyDto, SigningKeyListDto } from './signing-key.dto.js';

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
