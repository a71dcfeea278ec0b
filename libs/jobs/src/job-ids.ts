/**
 * Deterministic job ids: the same piece of work always gets the same id, so re-running a sweep, relaying an
 * outbox row twice, or retrying after a crash enqueues it once. BullMQ refuses ':' in custom ids.
 */
export const jobIds = {
  outboxEvent: (outboxId: number | string) => `outbox-${outboxId}`,
  /** One delivery per email key (recipient and run). */
  email: (emailKey: string) => `email-${emailKey}`,
  reminderTick: (slot: string) => `reminders-tick-${slot}`,
  /** The debounce key of an organisation's roll-up refresh: one pending refresh per organisation at a time. */
  rollupsRefresh: (organisationId: string) => `rollups-refresh-${organisationId}`,
  rollupsReconcile: (requestId: string) => `rollups-reconcile-${requestId}`,
  /** One delivery per digest key (week and recipient). */
  digest: (weekStart: string, recipientId: string) => `digest-${weekStart}-${recipientId}`,
  digestRun: (requestId: string) => `digest-run-${requestId}`,
};
