import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import type { M2mCallContext } from '../domain/call-context.js';
import { TokenRevocationService } from '../revocation/token-revocation.service.js';
import { AdminApi } from './admin-api.decorator.js';
import { AdminContext } from './admin-context.decorator.js';
import { ApiInvalidInput } from './admin-responses.decorator.js';
import { RevokeTokenDto } from './revocation.dto.js';

/** Admin API: revocation of single access tokens by their `jti`. */
@AdminApi('M2M audit and revocation')
@Controller('m2m')
export class RevocationsAdminController {
  constructor(private readonly revocations: TokenRevocationService) {}

  @Post('revocations')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke one access token by its jti',
    description:
      'The guard of every instance rejects it: this one at once, the others within revocationRefreshMs.',
  })
  @ApiNoContentResponse({ description: 'Revoked (also when no such token was ever issued).' })
  @ApiInvalidInput(
    {
      pointer: '#/jti',
      detail: 'jti must be a token id (1 to 255 characters of A-Z a-z 0-9 _ -)',
    },
    { body: true },
  )
  async revoke(
    @Body() body: RevokeTokenDto,
    @AdminContext() context: M2mCallContext,
  ): Promise<void> {
    await this.revocations.revokeToken(body.jti, context);
  }
}
