import { Job, UnrecoverableError } from 'bullmq';
import { isPermanentFailure } from '@rt/notifications';

/**
 * One SMTP attempt of a send job, with the failure policy every email shares: a refused address (SMTP 5xx) is
 * recorded as failed at once and not retried; anything else is recorded as an attempt and retried with the job's
 * backoff, and recorded as failed only on the last attempt. Returns the message id the server gave.
 */
export async function deliveryAttempt(
  job: Job,
  send: () => Promise<string>,
  recordFailure: (error: string, final: boolean) => Promise<void>,
): Promise<string> {
  try {
    return await send();
  } catch (error) {
    const message = (error as Error).message;
    const permanent = isPermanentFailure(error);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await recordFailure(message, permanent || lastAttempt);
    throw permanent ? new UnrecoverableError(message) : error;
  }
}
