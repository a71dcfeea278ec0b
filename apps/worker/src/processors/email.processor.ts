import { Injectable } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '@rt/config';
import { ReminderDeliveryService } from '@rt/domain';
import { EmailSendJobData, QueueName } from '@rt/jobs';
import { Mailer, renderReminderEmail } from '@rt/notifications';
import { deliveryAttempt } from '../delivery/delivery-attempt';
import { JobHandlers, QueueProcessor } from './queue-processor';

/**
 * Delivers one email: re-reads what it is about (dropping anything completed, re-dated or reassigned since it
 * was decided), sends it through the pooled SMTP transport, and records the outcome on the email (its
 * notifications were recorded, each under its unique key, before it was sent). A refused address (SMTP 5xx) fails at once; anything else is retried with exponential backoff and
 * recorded as failed only after the last attempt. Only this job talks to SMTP.
 */
@Injectable()
export class EmailProcessor implements QueueProcessor<QueueName.Email> {
  readonly queue = QueueName.Email;
  readonly options;
  readonly handlers: JobHandlers<QueueName.Email> = { send: (job) => this.send(job) };

  constructor(
    private readonly config: AppConfig,
    private readonly delivery: ReminderDeliveryService,
    private readonly mailer: Mailer,
  ) {
    this.options = {
      concurrency: config.emailConcurrency,
      limiter: { max: config.emailRatePerSecond, duration: 1_000 },
    };
  }

  async send(job: Job<EmailSendJobData>): Promise<{ sent: number; messageId?: string }> {
    const email = await this.delivery.prepare(job.data.emailKey);
    if (!email) return { sent: 0 };
    const rendered = renderReminderEmail(email, this.config.appBaseUrl);
    const messageId = await deliveryAttempt(
      job,
      () =>
        this.mailer.send({
          to: email.recipient.email,
          ...rendered,
          messageId: `<${job.data.emailKey.replace(/[^A-Za-z0-9.-]/g, '.')}@recommendation-tracker>`,
        }),
      (error, final) => this.delivery.markAttemptFailed(job.data.emailKey, error, final),
    );
    await this.delivery.markSent(job.data.emailKey, messageId);
    return { sent: email.items.length, messageId };
  }
}
