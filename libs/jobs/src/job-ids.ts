/**
 * Deterministic job ids: the same piece of work always gets the same id, so re-running a sweep, relaying an
 * outbox row twice, or retrying after a crash enqueues it once. BullMQ rejects ':' in custom ids, hence '-'.
 */
export const jobIds = {
  outboxEvent: (outboxId: number | string) => `outbox-${outboxId}`,
};
