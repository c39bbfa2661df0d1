import { Inject, Module } from '@nestjs/common';
import type { M2mTokenClientOptions } from '../options/token-client.options.js';
import { M2mTokenClient } from '../token-client.js';
import { M2M_FETCH, M2M_TOKEN_CLIENT_OPTIONS } from './m2m-token-client.constants.js';
import { ConfigurableM2mTokenClientModule } from './m2m-token-client.module-definition.js';

/** What `M2M_FETCH` provides: `fetch` with the client's bearer token. */
export type M2mAuthorizedFetch = M2mTokenClient['fetch'];

/** Injects the `fetch` that attaches the client's token (the `M2M_FETCH` provider). */
export const InjectM2mFetch = (): ParameterDecorator & PropertyDecorator => Inject(M2M_FETCH);

/**
 * Provides an `M2mTokenClient` and, under `M2M_FETCH`, its token-attaching `fetch`.
 * @example
 * M2mTokenClientModule.forRoot({ issuer, clientId, clientSecret, scopes: ['reports:read'] })
 */
@Module({
  providers: [
    {
      provide: M2mTokenClient,
      useFactory: (options: M2mTokenClientOptions) => new M2mTokenClient(options),
      inject: [M2M_TOKEN_CLIENT_OPTIONS],
    },
    {
      provide: M2M_FETCH,
      useFactory: (client: M2mTokenClient): M2mAuthorizedFetch => client.fetch.bind(client),
      inject: [M2mTokenClient],
    },
  ],
  exports: [M2mTokenClient, M2M_FETCH],
})
export class M2mTokenClientModule extends ConfigurableM2mTokenClientModule {}
