import type { ThrottlerStorage } from '@nestjs/throttler';

/** What a throttler storage answers for a hit (@nestjs/throttler does not export the type). */
export type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
