import type { ApiPropertyOptions } from '@nestjs/swagger';

/** The OpenAPI schema of a client's `metadata`, in requests and responses alike. */
export const CLIENT_METADATA_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  nullable: true,
  description: 'Flat key/value metadata: at most 50 keys and 4096 bytes as JSON.',
  example: { tenant: 'acme', tier: 'gold' },
};
