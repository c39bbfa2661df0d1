import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Redis } from 'ioredis';

/** Injection token of the shared Redis connection. */
export const REDIS = Symbol('REDIS');

/** Connects to `REDIS_URL` at start-up (an unreachable server stops the start) and quits on shutdown. */
@Module({})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  static forRoot(url: string): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          useFactory: async () => {
            // No offline queue and one retry: a slow or absent Redis must not stall requests.
            const redis = new Redis(url, {
              lazyConnect: true,
              enableOfflineQueue: false,
              maxRetriesPerRequest: 1,
              commandTimeout: 1000,
            });
            redis.on('error', (error: Error) => new Logger('Redis').warn(error.message));
            await redis.connect();
            return redis;
          },
        },
      ],
      exports: [REDIS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
