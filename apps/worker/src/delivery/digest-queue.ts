import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DefaultJobOptions, Queue } from 'bullmq';
import { AppConfig } from '@rt/config';
import { DigestKey } from '@rt/domain';
import { DigestSendJobData, emailJobOptions, jobIds, QueueName, redisOptions } from '@rt/jobs';

const BATCH = 1_000;

/**
 * Enqueues one send job per digest; the deterministic job id (week and recipient) makes a second enqueue of one
 * still waiting a no-op. Send jobs retry like emails and are removed when done: the digests table is their record.
 */
@Injectable()
export class DigestQueue implements OnApplicationShutdown {
  private readonly queue: Queue<DigestSendJobData>;
  /** Not the queue's defaults: the queue also carries the tick and run jobs. */
  private readonly options: DefaultJobOptions;

  constructor(config: AppConfig) {
    this.queue = new Queue(QueueName.Digest, {
      connection: redisOptions(config.redisUrl),
      prefix: config.queuePrefix,
    });
    this.options = emailJobOptions(config.emailAttempts, config.emailRetryDelayMs);
  }

  async enqueue(keys: DigestKey[]): Promise<void> {
    for (let i = 0; i < keys.length; i += BATCH) {
      await this.queue.addBulk(
        keys.slice(i, i + BATCH).map((key) => ({
          name: 'send' as const,
          data: { recipientId: key.recipientId, weekStart: key.weekStart },
          opts: { ...this.options, jobId: jobIds.digest(key.weekStart, key.recipientId) },
        })),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
