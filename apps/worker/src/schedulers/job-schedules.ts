import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '@rt/config';
import { jobIds, QueueName, redisOptions } from '@rt/jobs';
import { RECURRING_JOBS } from './recurring-jobs';

/** Registering again is idempotent; doing it now and then restores a scheduler Redis lost (e.g. a flush). */
const REFRESH_MS = 10 * 60_000;
const RETRY_MS = 15_000;

/**
 * Registers BullMQ's job schedulers for every recurring job on boot, and keeps them registered. On the first boot
 * of an installation (no reconciliation ever recorded) it also asks for one at once, so roll-ups of data that
 * arrived without events (the demo story, a restored database) show before the first night.
 */
@Injectable()
export class JobSchedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobSchedules.name);
  private readonly queues = new Map<QueueName, Queue>();
  private timer?: NodeJS.Timeout;

  constructor(
    config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    for (const queue of new Set(RECURRING_JOBS.map((job) => job.queue))) {
      const q = new Queue(queue, {
        connection: redisOptions(config.redisUrl, { failFast: true }),
        prefix: config.queuePrefix,
      });
      q.on('error', () => undefined);
      this.queues.set(queue, q);
    }
  }

  onApplicationBootstrap(): void {
    // Not awaited: the worker starts (and relays, and delivers) even while Redis is still coming up.
    void this.keepRegistered();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private async keepRegistered(first = true): Promise<void> {
    const ok = await this.register();
    if (ok && first) await this.reconcileIfNeverDone();
    this.timer = setTimeout(() => void this.keepRegistered(first && !ok), ok ? REFRESH_MS : RETRY_MS);
    this.timer.unref();
  }

  private async reconcileIfNeverDone(): Promise<void> {
    try {
      const [{ done }] = await this.db.query(
        `SELECT EXISTS (SELECT 1 FROM rollup_refreshes WHERE kind = 'reconcile') AS done`,
      );
      if (done) return;
      // A fixed job id: workers starting together ask once.
      await this.queues
        .get(QueueName.Rollups)!
        .add('reconcile', { trigger: 'schedule' }, { jobId: jobIds.rollupsReconcile('first'), removeOnComplete: true });
      this.logger.log('No roll-up reconciliation yet: asked for one now');
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'Could not ask for the first roll-up reconciliation');
    }
  }

  private async register(): Promise<boolean> {
    try {
      for (const job of RECURRING_JOBS) {
        await this.queues
          .get(job.queue)!
          .upsertJobScheduler(
            job.id,
            { pattern: job.pattern, tz: job.tz },
            { name: job.name, data: job.data, opts: job.opts },
          );
      }
      return true;
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'Could not register the job schedules; will retry');
      return false;
    }
  }
}
