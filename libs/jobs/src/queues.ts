import { DOMAIN_EVENT_TYPES, DomainEventType } from '@rt/domain';

/** Every BullMQ queue, by name. One processor per queue lives in apps/worker/src/processors. */
export enum QueueName {
  DomainEvents = 'domain-events',
  Reminders = 'reminders',
  Email = 'email',
  Rollups = 'rollups',
  Digest = 'digest',
}

export interface DomainEventJobData {
  outboxId: number;
  type: DomainEventType;
  aggregateType: string;
  aggregateId: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** The scheduler's quarter-hourly nudge: run whatever reminder runs are due now. */
export type RemindersTickJobData = Record<string, never>;

/** Run the reminders now, as of a given instant (operations and tests), for every organisation. */
export interface RemindersRunJobData {
  asOf: string;
}

/** Deliver the email that these notifications travel in (one recipient). */
export interface EmailSendJobData {
  emailKey: string;
}

/** Recompute one organisation's roll-up cells from source (debounced per organisation). */
export interface RollupsRefreshJobData {
  organisationId: string;
}

/** Recompute every roll-up cell from source and repair drift (nightly, or on demand by an admin). */
export interface RollupsReconcileJobData {
  trigger: 'schedule' | 'manual';
}

/** Reconcile, then copy the day's roll-ups into the trend (late every evening, London time). */
export type RollupsDailyJobData = Record<string, never>;

/** Take the quarter-end "as at" snapshot (last day of March, June, September and December, 23:59 London). */
export type RollupsQuarterSnapshotJobData = Record<string, never>;

/** The scheduler's quarter-hourly nudge: run the week's digest once it is due, and enqueue any still waiting. */
export type DigestTickJobData = Record<string, never>;

/** Run the weekly digest now, as of a given instant: it covers the week (Monday to Sunday) before that instant's. */
export interface DigestRunJobData {
  asOf: string;
}

/** Deliver one performance manager's digest for one week (its unique key). */
export interface DigestSendJobData {
  recipientId: string;
  weekStart: string;
}

/** The typed catalogue: each queue's job names and the payload of each. A payload change breaks the build. */
export interface JobCatalogue {
  [QueueName.DomainEvents]: { [T in DomainEventType]: DomainEventJobData };
  [QueueName.Reminders]: { tick: RemindersTickJobData; run: RemindersRunJobData };
  [QueueName.Email]: { send: EmailSendJobData };
  [QueueName.Rollups]: {
    refresh: RollupsRefreshJobData;
    reconcile: RollupsReconcileJobData;
    daily: RollupsDailyJobData;
    quarterSnapshot: RollupsQuarterSnapshotJobData;
  };
  [QueueName.Digest]: { tick: DigestTickJobData; run: DigestRunJobData; send: DigestSendJobData };
}

export type JobName<Q extends QueueName> = keyof JobCatalogue[Q] & string;
export type JobData<Q extends QueueName, N extends JobName<Q>> = JobCatalogue[Q][N];

/** One job of a queue, name and payload tied together. */
export type JobItem<Q extends QueueName> = {
  [N in JobName<Q>]: { name: N; data: JobData<Q, N> };
}[JobName<Q>];

/** Every job name per queue, at run time: the worker checks at boot that each has exactly one handler. */
export const JOB_NAMES: { [Q in QueueName]: readonly JobName<Q>[] } = {
  [QueueName.DomainEvents]: DOMAIN_EVENT_TYPES,
  [QueueName.Reminders]: ['tick', 'run'],
  [QueueName.Email]: ['send'],
  [QueueName.Rollups]: ['refresh', 'reconcile', 'daily', 'quarterSnapshot'],
  [QueueName.Digest]: ['tick', 'run', 'send'],
};
