import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import IORedis from 'ioredis';
import { AppConfig } from '@rt/config';
import { createRedis, whenReady } from '@rt/jobs';

/** Redis reachability for readiness; its own fail-fast connection, so a check never waits on a queue. */
@Injectable()
export class RedisHealthIndicator implements OnModuleInit, OnModuleDestroy {
  private redis?: IORedis;

  constructor(
    private readonly config: AppConfig,
    private readonly indicators: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.redis = createRedis(this.config.redisUrl, { failFast: true, name: 'health' });
    this.redis.on('error', () => undefined); // reported by check(), not as unhandled errors
  }

  async check(key = 'redis') {
    const indicator = this.indicators.check(key);
    const redis = this.redis!;
    try {
      await whenReady(redis, 1_000);
      const pong = await withTimeout(redis.ping(), 1_000);
      return pong === 'PONG' ? indicator.up() : indicator.down({ message: `unexpected reply ${pong}` });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
