import { JobsOptions } from 'bullmq';
import { JobCatalogue, JobData, JobName, QueueName } from '@rt/jobs';

/** A job BullMQ's job scheduler adds on a cron pattern (Europe/London unless said otherwise). */
export interface RecurringJob<Q extends QueueName = QueueName, N extends JobName<Q> = JobName<Q>> {
  /** The scheduler's id: registering it again replaces it rather than adding a second one. */
  id: string;
  queue: Q;
  name: N;
  data: JobData<Q, N>;
  pattern: string;
  tz: string;
  opts: JobsOptions;
}

const recurring = <Q extends QueueName, N extends keyof JobCatalogue[Q] & string>(job: RecurringJob<Q, N>) => job;

const TICK_OPTIONS: JobsOptions = { attempts: 3, removeOnComplete: 100, removeOnFail: 100 };
const ROLLUP_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 60_000 },
  removeOnComplete: 30,
  removeOnFail: 30,
};

/**
 * Every recurring job of the worker. The ticks run every quarter hour and decide for themselves what is due
 * (send times, working days, runs missed while the worker was down); the roll-up jobs recompute everything just
 * after midnight (overdue and RAG move on with the date) and record the day's figures for the trend late each
 * evening; at the very end of each quarter a named "as at" snapshot is taken.
 */
export const RECURRING_JOBS: readonly RecurringJob[] = [
  recurring({
    id: 'reminders-tick',
    queue: QueueName.Reminders,
    name: 'tick',
    data: {},
    pattern: '*/15 * * * *',
    tz: 'Europe/London',
    opts: TICK_OPTIONS,
  }),
  recurring({
    id: 'digest-tick',
    queue: QueueName.Digest,
    name: 'tick',
    data: {},
    pattern: '*/15 * * * *',
    tz: 'Europe/London',
    opts: TICK_OPTIONS,
  }),
  recurring({
    id: 'rollups-reconcile',
    queue: QueueName.Rollups,
    name: 'reconcile',
    data: { trigger: 'schedule' },
    pattern: '5 0 * * *',
    tz: 'Europe/London',
    opts: ROLLUP_OPTIONS,
  }),
  recurring({
    id: 'rollups-daily',
    queue: QueueName.Rollups,
    name: 'daily',
    data: {},
    pattern: '55 23 * * *',
    tz: 'Europe/London',
    opts: ROLLUP_OPTIONS,
  }),
  // The last minute of each quarter, London time: the picture a board paper is written from.
  recurring({
    id: 'snapshot-quarter-end-31',
    queue: QueueName.Rollups,
    name: 'quarterSnapshot',
    data: {},
    pattern: '59 23 31 3,12 *',
    tz: 'Europe/London',
    opts: ROLLUP_OPTIONS,
  }),
  recurring({
    id: 'snapshot-quarter-end-30',
    queue: QueueName.Rollups,
    name: 'quarterSnapshot',
    data: {},
    pattern: '59 23 30 6,9 *',
    tz: 'Europe/London',
    opts: ROLLUP_OPTIONS,
  }),
] as RecurringJob[];
