import { DefaultJobOptions, JobsOptions } from 'bullmq';

/** Retried with exponential backoff; kept for a day when done (for inspection), a week when failed. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * Email jobs are removed as soon as they complete or fail: their record is the notification log in PostgreSQL,
 * and a later run that finds notifications of the same email still queued must be able to enqueue it again (a
 * job BullMQ gave up on without the log hearing of it, e.g. stalled by two crashes, would otherwise block its
 * job id for as long as it was kept).
 */
export function emailJobOptions(attempts: number, retryDelayMs: number): DefaultJobOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: retryDelayMs },
    removeOnComplete: true,
    removeOnFail: true,
  };
}

/**
 * An organisation's roll-up refresh, debounced: the first change starts a window of `debounceMs`; changes inside
 * it join the same delayed job (BullMQ deduplication, kept a little shorter than the delay so no change can join a
 * job that has already read the data); the first change after it starts the next window. A burst is a handful of
 * refreshes and no change waits longer than about one window.
 */
export function rollupRefreshJobOptions(dedupId: string, debounceMs: number): JobsOptions {
  return {
    delay: debounceMs,
    deduplication: { id: dedupId, ttl: Math.max(1, debounceMs - Math.min(50, Math.floor(debounceMs / 5))) },
    attempts: 5,
    backoff: { type: 'exponential', delay: 500 },
    removeOnComplete: true,
    removeOnFail: { age: 24 * 3600 },
  };
}
