import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { fakeFetch, json } from '../__fixtures__/fake-fetch.js';
import { M2mTokenClient } from '../token-client.js';
import { M2M_FETCH } from './m2m-token-client.constants.js';
import {
  InjectM2mFetch,
  M2mTokenClientModule,
  type M2mAuthorizedFetch,
} from './m2m-token-client.module.js';

const TOKEN_ENDPOINT = 'https://auth.example.com/oauth2/token';

function server() {
  return fakeFetch((request) =>
    request.url === TOKEN_ENDPOINT
      ? json(200, { access_token: 'nest-token', token_type: 'Bearer', expires_in: 60 })
      : json(200, { saw: request.headers.get('authorization') }),
  );
}

@Injectable()
class ReportsCaller {
  constructor(@InjectM2mFetch() private readonly fetch: M2mAuthorizedFetch) {}

  async reports(): Promise<unknown> {
    return (await this.fetch('https://api.example.com/reports')).json();
  }
}

describe('M2mTokenClientModule', () => {
  it('forRoot provides the client and a fetch that attaches its token', async () => {
    const { fetch, seen } = server();
    const moduleRef = await Test.createTestingModule({
      imports: [
        M2mTokenClientModule.forRoot({
          tokenEndpoint: TOKEN_ENDPOINT,
          clientId: 'nest-caller',
          clientSecret: 'secret',
          fetch,
        }),
      ],
      providers: [ReportsCaller],
    }).compile();
    expect(await moduleRef.get(ReportsCaller).reports()).toEqual({ saw: 'Bearer nest-token' });
    expect(moduleRef.get(M2mTokenClient)).toBeInstanceOf(M2mTokenClient);
    expect(await moduleRef.get(M2mTokenClient).getToken()).toBe('nest-token');
    expect(seen.filter((request) => request.url === TOKEN_ENDPOINT)).toHaveLength(1);
  });

  it('forRootAsync reads the options from ConfigService', async () => {
    const { fetch, seen } = server();
    const moduleRef = await Test.createTestingModule({
      imports: [
        M2mTokenClientModule.forRootAsync({
          imports: [
            ConfigModule.forRoot({
              ignoreEnvFile: true,
              load: [() => ({ M2M_TOKEN_URL: TOKEN_ENDPOINT, M2M_CLIENT_ID: 'from-config' })],
            }),
          ],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            tokenEndpoint: config.getOrThrow<string>('M2M_TOKEN_URL'),
            clientId: config.getOrThrow<string>('M2M_CLIENT_ID'),
            clientSecret: 's3',
            authMethod: 'client_secret_post' as const,
            fetch,
          }),
        }),
      ],
    }).compile();
    const authorizedFetch = moduleRef.get<M2mAuthorizedFetch>(M2M_FETCH);
    expect(await (await authorizedFetch('https://api.example.com/x')).json()).toEqual({
      saw: 'Bearer nest-token',
    });
    expect(new URLSearchParams(seen[0]!.body).get('client_id')).toBe('from-config');
  });

  it('is not global unless asked', async () => {
    const { fetch } = server();
    @Module({ providers: [ReportsCaller] })
    class FeatureModule {}
    const options = { tokenEndpoint: TOKEN_ENDPOINT, clientId: 'c', clientSecret: 's', fetch };
    await expect(
      Test.createTestingModule({
        imports: [M2mTokenClientModule.forRoot(options), FeatureModule],
      }).compile(),
    ).rejects.toThrow(/M2M_FETCH/);
    const global = await Test.createTestingModule({
      imports: [M2mTokenClientModule.forRoot({ ...options, isGlobal: true }), FeatureModule],
    }).compile();
    expect(await global.get(ReportsCaller).reports()).toEqual({ saw: 'Bearer nest-token' });
  });
});
