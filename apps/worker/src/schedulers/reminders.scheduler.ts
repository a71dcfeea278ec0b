import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@rt/config';
import { QueueName, redisOptions, RemindersTickJobData } from '@rt/jobs';

/** Every quarter hour, London time; the tick decides which runs are due (send times, working days). */
export const REMINDERS_TICK = { id: 'reminders-tick', pattern: '*/15 * * * *', tz: 'Europe/London' } as const;
/** Registering again is idempotent; doing it now and then restores the scheduler if Redis lost it. */
const REFRESH_MS = 10 * 60_000;
const RETRY_MS = 15_000;

/** Registers BullMQ's job scheduler for the reminder runs on boot, and keeps it registered. */
@Injectable()
export class RemindersScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RemindersScheduler.name);
  private readonly queue: Queue<RemindersTickJobData>;
  private timer?: NodeJS.Timeout;

  constructor(config: AppConfig) {
    this.queue = new Queue(QueueName.Reminders, {
      connection: redisOptions(config.redisUrl, { failFast: true }),
      prefix: config.queuePrefix,
    });
    this.queue.on('error', () => undefined);
  }

  onApplicationBootstrap(): void {
    // Not awaited: the worker starts (and relays, and delivers) even while Redis is still coming up.
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
    try {
      await this.queue.upsertJobScheduler(
        REMINDERS_TICK.id,
        { pattern: REMINDERS_TICK.pattern, tz: REMINDERS_TICK.tz },
        { name: 'tick', data: {}, opts: { attempts: 3, removeOnComplete: 100, removeOnFail: 100 } },
      );
      return true;
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'Could not register the reminder schedule; will retry');
      return false;
    }
  }
}
