import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** Body of `POST /m2m/revocations`. */
export class RevokeTokenDto {
  @ApiProperty({ description: 'The `jti` of the access token to revoke.' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,255}$/, {
    message: 'jti must be a token id (1 to 255 characters of A-Z a-z 0-9 _ -)',
  })
  jti!: string;
}
