import { ApiProperty } from '@nestjs/swagger';

/** What an owner may give its clients (the module's `ownerApi` option). */
export class OwnerPolicyDto {
  @ApiProperty({ type: [String], example: ['reports:read', 'reports:write'] })
  scopes!: string[];

  @ApiProperty({
    type: [String],
    description: 'Resource URIs (RFC 8707) an owner may give its clients as audiences.',
    example: ['https://api.example.com'],
  })
  audiences!: string[];
}
