import { Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '@rt/config';
import { Clock, DigestDeliveryService, DigestService, londonDateOf, weekCoveredOn } from '@rt/domain';
import { DigestRunJobData, DigestSendJobData, QueueName } from '@rt/jobs';
import { Mailer, renderDigestEmail } from '@rt/notifications';
import { DigestQueue } from '../delivery/digest-queue';
import { deliveryAttempt } from '../delivery/delivery-attempt';
import { JobHandlers, QueueProcessor } from './queue-processor';

/**
 * The weekly digest. `tick` (every quarter hour, from the scheduler) runs the week's digest once its day and time
 * have come (Monday 07:00 London, or the next working day after a bank holiday), catches up a week the worker
 * missed, and enqueues again every digest still waiting; `run` is the admin's "run now, as of …"; `send` delivers
 * one digest, and is the only job here that talks to SMTP.
 */
@Injectable()
export class DigestProcessor implements QueueProcessor<QueueName.Digest> {
  readonly queue = QueueName.Digest;
  readonly options;
  readonly handlers: JobHandlers<QueueName.Digest> = {
    tick: () => this.tick(),
    run: (job) => this.runNow(job),
    send: (job) => this.send(job),
  };
  private readonly logger = new Logger(DigestProcessor.name);

  constructor(
    private readonly config: AppConfig,
    private readonly digests: DigestService,
    private readonly delivery: DigestDeliveryService,
    private readonly digestQueue: DigestQueue,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
  ) {
    this.options = {
      concurrency: config.emailConcurrency,
      limiter: { max: config.emailRatePerSecond, duration: 1_000 },
    };
  }

  async tick(): Promise<{ weeks: string[]; enqueued: number }> {
    const now = this.clock.now();
    const weeks = await this.digests.weeksDue(now);
    for (const weekStart of weeks) {
      await this.digests.run({ asOf: now, weekStart, trigger: 'schedule', runKey: `schedule-${weekStart}` });
    }
    const waiting = await this.digests.waiting(londonDateOf(now));
    await this.digestQueue.enqueue(waiting);
    if (weeks.length) this.logger.log({ weeks, enqueued: waiting.length }, 'Scheduled weekly digest runs');
    return { weeks, enqueued: waiting.length };
  }

  async runNow(job: Job<DigestRunJobData>) {
    const asOf = job.data.asOf ? new Date(job.data.asOf) : this.clock.now();
    const { weekStart } = weekCoveredOn(londonDateOf(asOf));
    const result = await this.digests.run({ asOf, weekStart, trigger: 'manual', runKey: `manual-${job.id}` });
    await this.digestQueue.enqueue(result.waiting);
    const { waiting, ...rest } = result;
    return { ...rest, enqueued: waiting.length };
  }

  async send(job: Job<DigestSendJobData>): Promise<{ sent: boolean; messageId?: string }> {
    const { recipientId, weekStart } = job.data;
    const digest = await this.delivery.prepare(recipientId, weekStart);
    if (!digest) return { sent: false };
    const rendered = renderDigestEmail(digest, this.config.appBaseUrl);
    const messageId = await deliveryAttempt(
      job,
      () =>
        this.mailer.send({
          to: digest.recipient.email,
          ...rendered,
          messageId: `<digest.${weekStart}.${recipientId}@recommendation-tracker>`,
        }),
      (error, final) => this.delivery.markAttemptFailed(digest.digestId, error, final),
    );
    await this.delivery.markSent(digest.digestId, messageId, digest.organisations.length);
    return { sent: true, messageId };
  }
}
