import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@rt/config';
import { jobIds, QueueName, redisOptions, rollupRefreshJobOptions, RollupsRefreshJobData } from '@rt/jobs';

/** Asks for an organisation's roll-up refresh, debounced per organisation (see rollupRefreshJobOptions). */
@Injectable()
export class RollupRefreshQueue implements OnApplicationShutdown {
  private readonly queue: Queue<RollupsRefreshJobData>;

  constructor(private readonly config: AppConfig) {
    this.queue = new Queue(QueueName.Rollups, {
      connection: redisOptions(config.redisUrl),
      prefix: config.queuePrefix,
    });
  }

  async request(organisationIds: string[]): Promise<void> {
    for (const organisationId of new Set(organisationIds)) {
      const id = jobIds.rollupsRefresh(organisationId);
      await this.queue.add('refresh', { organisationId }, rollupRefreshJobOptions(id, this.config.rollupDebounceMs));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
