import { Module } from '@nestjs/common';
import { ConfigurableM2mModule } from './m2m.module-definition.js';

/**
 * Makes a Nest application an OAuth 2.0 authorization server for machines: client registry,
 * client credentials token endpoint, JWKS, metadata, admin API, and the guard behind
 * `@RequireScopes()`.
 *
 * @example
 * ```ts
 * M2mModule.forRoot({ issuer: 'https://auth.example.com', keyEncryptionKey: process.env.KEK!, isGlobal: true })
 * ```
 */
@Module({})
export class M2mModule extends ConfigurableM2mModule {}
