import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type IORedis from 'ioredis';
import { AppConfig } from '@rt/config';
import { createRedis } from '@rt/jobs';

export const WEB_REDIS = Symbol('WEB_REDIS');

export const webRedisProvider = {
  provide: WEB_REDIS,
  inject: [AppConfig],
  useFactory: (config: AppConfig): IORedis => {
    const redis = createRedis(config.redisUrl, { failFast: true, name: 'api-web' });
    const logger = new Logger('WebRedis');
    let reported = false;
    // Reconnects on its own; a page that needs Redis meanwhile fails as a 500. Said once, not on every retry.
    redis.on('error', (error: Error) => {
      if (!reported) logger.warn(`Redis for web sessions is unreachable: ${error.message}`);
      reported = true;
    });
    redis.on('ready', () => (reported = false));
    return redis;
  },
};

/** Closes the web layer's Redis connection (sessions, sign-in lockout) when the app stops. */
@Injectable()
export class WebRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(WEB_REDIS) private readonly redis: IORedis) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
