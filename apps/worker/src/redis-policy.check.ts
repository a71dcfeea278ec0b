import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@rt/config';
import { createRedis, maxmemoryPolicy } from '@rt/jobs';

/** BullMQ loses jobs if Redis may evict keys: say so loudly at start if the policy is not noeviction. */
@Injectable()
export class RedisPolicyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('RedisPolicy');

  constructor(private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const redis = createRedis(this.config.redisUrl, { failFast: true, name: 'policy-check' });
    redis.on('error', () => undefined);
    try {
      const policy = await maxmemoryPolicy(redis);
      if (policy === null) {
        this.logger.warn('Could not read Redis maxmemory-policy; make sure it is noeviction or jobs may be lost');
      } else if (policy !== 'noeviction') {
        this.logger.error(
          `Redis maxmemory-policy is "${policy}": Redis may evict queue keys and lose jobs. ` +
            'Set maxmemory-policy noeviction (docker/compose.yml does).',
        );
      }
    } finally {
      redis.disconnect();
    }
  }
}
