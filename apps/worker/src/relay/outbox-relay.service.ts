import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@rt/config';
import { OutboxRepository, OutboxRow } from '@rt/domain';
import { DEFAULT_JOB_OPTIONS, DomainEventJobData, jobIds, QueueName, redisOptions } from '@rt/jobs';

const BATCH_SIZE = 500;
const PUBLISH_TIMEOUT_MS = 5_000;
const MAX_BACKOFF_MS = 5_000;

/**
 * Relays outbox rows to BullMQ: at least once, in id order, with deterministic job ids so a row relayed twice
 * is one job. It publishes through its own fail-fast connection: while Redis is down, publishing fails at once,
 * the transaction rolls back, the rows stay unsent, and the relay retries with backoff. The API never waits.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly queue: Queue<DomainEventJobData>;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private failures = 0;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly config: AppConfig,
  ) {
    this.queue = new Queue(QueueName.DomainEvents, {
      connection: redisOptions(config.redisUrl, { failFast: true }),
      prefix: config.queuePrefix,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
    this.queue.on('error', () => undefined); // connection errors surface as failed publishes below
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.queue.close().catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let sent = 0;
      try {
        sent = await this.outbox.relayBatch(BATCH_SIZE, (rows) => this.publish(rows));
        if (this.failures > 0) this.logger.log(`Relaying again after ${this.failures} failed attempts`);
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        if (this.failures === 1 || this.failures % 20 === 0) {
          const backlog = await this.outbox.backlog().catch(() => null);
          this.logger.warn(
            { unsent: backlog?.unsent, oldest: backlog?.oldest, error: (error as Error).message },
            'Outbox relay cannot publish; changes are kept and will be relayed when it can',
          );
        }
      }
      if (sent === BATCH_SIZE) continue;
      const pause = this.failures
        ? Math.min(250 * 2 ** Math.min(this.failures, 5), MAX_BACKOFF_MS)
        : this.config.outboxPollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async publish(rows: OutboxRow[]): Promise<void> {
    const jobs = rows.map((row) => ({
      name: row.eventType,
      data: {
        outboxId: Number(row.id),
        type: row.eventType,
        aggregateType: row.aggregateType,
        aggregateId: row.aggregateId,
        occurredAt: row.createdAt,
        payload: row.payload,
      },
      opts: { jobId: jobIds.outboxEvent(row.id) },
    }));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.queue.addBulk(jobs),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`Redis did not answer within ${PUBLISH_TIMEOUT_MS} ms`)),
            PUBLISH_TIMEOUT_MS,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
