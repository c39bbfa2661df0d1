import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One invalid member of a request (the `errors` extension), for the OpenAPI document. */
export class ProblemFieldErrorDto {
  @ApiProperty({
    description: 'JSON Pointer (RFC 6901) to the member, in URI fragment form.',
    example: '#/client_name',
  })
  pointer!: string;

  @ApiProperty({ example: 'client_name must be a string' })
  detail!: string;
}

/**
 * RFC 9457 problem details (`application/problem+json`), as the admin and owner APIs and the
 * bearer-token checks send them, for the OpenAPI document.
 */
export class ProblemDetailsDto {
  @ApiProperty({
    description: 'A URN of this module (`urn:m2m:problem:…`), or `about:blank` for a bare status.',
  })
  type!: string;

  @ApiProperty({ description: 'The same for every problem of that type.' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status.' })
  status!: number;

  @ApiPropertyOptional({ description: 'What went wrong with this request.' })
  detail?: string;

  @ApiPropertyOptional({
    type: [ProblemFieldErrorDto],
    description: 'Invalid request members (validation errors only).',
  })
  errors?: ProblemFieldErrorDto[];

  @ApiPropertyOptional({
    enum: ['invalid_request', 'invalid_token', 'insufficient_scope'],
    description:
      'RFC 6750 §3.1 error code of a failed bearer-token check; absent when no token was sent.',
  })
  error?: string;
}
