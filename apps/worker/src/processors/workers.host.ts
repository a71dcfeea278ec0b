import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { AppConfig } from '@rt/config';
import { JOB_NAMES, QueueName, redisOptions } from '@rt/jobs';
import { QUEUE_PROCESSORS, QueueProcessor } from './queue-processor';

/**
 * Runs one BullMQ worker per queue processor. At boot it refuses to start unless every job name of every queue
 * has exactly one handler. On shutdown (SIGTERM) it stops taking jobs and waits for those in flight; a worker
 * killed outright leaves its jobs to be found stalled and retried (JOB_STALLED_INTERVAL_MS).
 */
@Injectable()
export class WorkersHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkersHost.name);
  private readonly workers: Worker[] = [];

  constructor(
    private readonly config: AppConfig,
    @Inject(QUEUE_PROCESSORS) private readonly processors: QueueProcessor[],
  ) {}

  onApplicationBootstrap(): void {
    checkCatalogue(this.processors);
    for (const processor of this.processors) {
      const handlers = processor.handlers as Record<string, (job: Job) => Promise<unknown>>;
      const worker = new Worker(
        processor.queue,
        async (job: Job) => {
          const handler = handlers[job.name];
          if (!handler) throw new Error(`no handler for ${processor.queue}/${job.name}`);
          return handler(job);
        },
        {
          connection: redisOptions(this.config.redisUrl),
          prefix: this.config.queuePrefix,
          concurrency: 1,
          stalledInterval: this.config.jobStalledIntervalMs,
          lockDuration: this.config.jobStalledIntervalMs,
          ...processor.options,
        },
      );
      worker.on('failed', (job, error) =>
        this.logger.warn(
          { queue: processor.queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, error: error.message },
          'Job failed',
        ),
      );
      worker.on('error', (error) => this.logger.warn({ queue: processor.queue, error: error.message }, 'Worker error'));
      this.workers.push(worker);
    }
  }

  /** The first shutdown hook: what the jobs use (mailer, queues, database) is released only after this. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

export function checkCatalogue(processors: QueueProcessor[]): void {
  const problems: string[] = [];
  for (const queue of Object.values(QueueName)) {
    const owners = processors.filter((p) => p.queue === queue);
    if (owners.length !== 1) problems.push(`queue ${queue} has ${owners.length} processors`);
    for (const name of JOB_NAMES[queue]) {
      const count = owners.filter((p) => typeof (p.handlers as Record<string, unknown>)[name] === 'function').length;
      if (count !== 1) problems.push(`${queue}/${name} has ${count} handlers`);
    }
  }
  if (problems.length) throw new Error(`Job catalogue mismatch: ${problems.join('; ')}`);
}
