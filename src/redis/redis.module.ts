import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Redis } from 'ioredis';

/** Redis could not be reached at start-up; the message says so without the URL's password. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

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
            let started = false;
            const redis = new Redis(url, {
              lazyConnect: true,
              enableOfflineQueue: false,
              maxRetriesPerRequest: 1,
              commandTimeout: 1000,
              // At start-up an unreachable Redis fails the start at once; once it was reached,
              // a lost connection is retried (ioredis's default back-off).
              retryStrategy: (attempt) => (started ? Math.min(attempt * 50, 2000) : null),
            });
            let lastError: Error | undefined;
            const logger = new Logger('Redis');
            redis.on('error', (error: Error) => {
              lastError = error;
              logger.warn(error.message);
            });
            try {
              await redis.connect();
            } catch (error) {
              // With no retry at start-up the client has ended already.
              if (redis.status !== 'end') redis.disconnect();
              // ioredis rejects with "Connection is closed."; the socket's error says why.
              const cause = lastError ?? (error as Error);
              throw new RedisUnavailableError(cause.message, { cause });
            }
            started = true;
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
