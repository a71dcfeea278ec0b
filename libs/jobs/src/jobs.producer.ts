import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@rt/config';
import { jobIds } from './job-ids';
import { DEFAULT_JOB_OPTIONS } from './job-options';
import { JobData, QueueName } from './queues';
import { redisOptions } from './redis-connection';

const ANSWER_WITHIN_MS = 3_000;

/**
 * Enqueues jobs from the API. Fail-fast: when Redis is down the caller gets a 503 at once instead of a request
 * hanging on a queue. (Domain changes never come this way: they go through the outbox.)
 */
@Injectable()
export class JobsProducer implements OnModuleDestroy {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly config: AppConfig) {}

  async runRemindersNow(data: JobData<QueueName.Reminders, 'run'>): Promise<string> {
    const jobId = `reminders-run-${randomUUID()}`;
    await this.answerSoon(this.queue(QueueName.Reminders).add('run', data, { jobId, attempts: 3 }));
    return jobId;
  }

  async reconcileRollupsNow(): Promise<string> {
    const jobId = jobIds.rollupsReconcile(randomUUID());
    await this.answerSoon(
      this.queue(QueueName.Rollups).add(
        'reconcile',
        { trigger: 'manual' },
        { jobId, attempts: 2, removeOnComplete: { age: 24 * 3600 } },
      ),
    );
    return jobId;
  }

  async runDigestNow(data: JobData<QueueName.Digest, 'run'>): Promise<string> {
    const jobId = jobIds.digestRun(randomUUID());
    await this.answerSoon(this.queue(QueueName.Digest).add('run', data, { jobId, attempts: 3 }));
    return jobId;
  }

  /** A digest run's state and result, or null if there is no such job (or it has been cleaned away). */
  async digestJob(jobId: string): Promise<{ state: string; result: unknown; failedReason: string | null } | null> {
    return this.jobState(QueueName.Digest, jobId);
  }

  /** A roll-up reconciliation's state and result, or null if there is no such job. */
  async rollupsJob(jobId: string): Promise<{ state: string; result: unknown; failedReason: string | null } | null> {
    return this.jobState(QueueName.Rollups, jobId);
  }

  /** A reminders job's state and result, or null if there is no such job (or it has been cleaned away). */
  async reminderJob(jobId: string): Promise<{ state: string; result: unknown; failedReason: string | null } | null> {
    return this.jobState(QueueName.Reminders, jobId);
  }

  private async jobState(
    name: QueueName,
    jobId: string,
  ): Promise<{ state: string; result: unknown; failedReason: string | null } | null> {
    // State first: a job read before it finished would say "completed" with no result yet.
    const queue = this.queue(name);
    const state = await this.answerSoon(queue.getJobState(jobId));
    const job = await this.answerSoon(queue.getJob(jobId));
    if (state === 'unknown' || !job) return null;
    return { state, result: job.returnvalue ?? null, failedReason: job.failedReason ?? null };
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: redisOptions(this.config.redisUrl, { failFast: true }),
        prefix: this.config.queuePrefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  private async answerSoon<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), ANSWER_WITHIN_MS);
        }),
      ]);
    } catch {
      throw new ServiceUnavailableException('The job queue (Redis) is not reachable; try again shortly');
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}
