import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@rt/config';
import { QueueName, redisOptions } from '@rt/jobs';

/**
 * London time. Just after midnight everything is recomputed for the new day (overdue and RAG move on; reads
 * between midnight and then move the stored figures on exactly from their due-date window). Late each evening
 * the day's figures are reconciled and recorded for the trend.
 */
export const ROLLUPS_SCHEDULES = {
  reconcile: { id: 'rollups-reconcile', pattern: '5 0 * * *', tz: 'Europe/London' },
  daily: { id: 'rollups-daily', pattern: '55 23 * * *', tz: 'Europe/London' },
} as const;
const REFRESH_MS = 10 * 60_000;
const RETRY_MS = 15_000;

/** Registers the roll-up job schedulers on boot, and keeps them registered. */
@Injectable()
export class RollupsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RollupsScheduler.name);
  private readonly queue: Queue;
  private timer?: NodeJS.Timeout;

  constructor(config: AppConfig) {
    this.queue = new Queue(QueueName.Rollups, {
      connection: redisOptions(config.redisUrl, { failFast: true }),
      prefix: config.queuePrefix,
    });
    this.queue.on('error', () => undefined);
  }

  onApplicationBootstrap(): void {
    void this.keepRegistered();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.queue.close();
  }

  private async keepRegistered(): Promise<void> {
    const ok = await this.register();
    this.timer = setTimeout(() => void this.keepRegistered(), ok ? REFRESH_MS : RETRY_MS);
    this.timer.unref();
  }

  private async register(): Promise<boolean> {
    const opts = {
      attempts: 3,
      backoff: { type: 'exponential', delay: 60_000 },
      removeOnComplete: 30,
      removeOnFail: 30,
    };
    try {
      const { reconcile, daily } = ROLLUPS_SCHEDULES;
      await this.queue.upsertJobScheduler(
        reconcile.id,
        { pattern: reconcile.pattern, tz: reconcile.tz },
        { name: 'reconcile', data: { trigger: 'schedule' }, opts },
      );
      await this.queue.upsertJobScheduler(
        daily.id,
        { pattern: daily.pattern, tz: daily.tz },
        { name: 'daily', data: {}, opts },
      );
      return true;
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'Could not register the roll-up schedules; will retry');
      return false;
    }
  }
}
