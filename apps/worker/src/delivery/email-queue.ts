import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@rt/config';
import { emailJobOptions, EmailSendJobData, jobIds, QueueName, redisOptions } from '@rt/jobs';

/**
 * Jobs per addBulk (one Redis pipeline each). Measured in bench:reminders' enqueue of 20,000 send jobs: 1,000 a batch
 * costs 0.8–1.0 s of Node CPU against 1.1–1.3 s for 5,000, mostly garbage collection: a batch's jobs and commands
 * live until its pipeline answers, and a large batch outlives young-generation collections and gets copied.
 */
export const EMAIL_ENQUEUE_BATCH = 1_000;

/** Enqueues one send job per email key; the deterministic job id makes a second enqueue of a waiting one a no-op. */
@Injectable()
export class EmailQueue implements OnApplicationShutdown {
  private readonly queue: Queue<EmailSendJobData>;

  constructor(config: AppConfig) {
    this.queue = new Queue(QueueName.Email, {
      connection: redisOptions(config.redisUrl),
      prefix: config.queuePrefix,
      defaultJobOptions: emailJobOptions(config.emailAttempts, config.emailRetryDelayMs),
    });
  }

  async enqueue(emailKeys: string[]): Promise<void> {
    for (let i = 0; i < emailKeys.length; i += EMAIL_ENQUEUE_BATCH) {
      await this.queue.addBulk(
        emailKeys.slice(i, i + EMAIL_ENQUEUE_BATCH).map((emailKey) => ({
          name: 'send' as const,
          data: { emailKey },
          opts: { jobId: jobIds.email(emailKey) },
        })),
      );
    }
  }

  /** After the workers have finished their jobs: a reminder run still in flight enqueues its emails here. */
  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
