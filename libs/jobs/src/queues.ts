import { DomainEventType } from '@rt/domain';

/** Every BullMQ queue, by name. One processor per queue lives in apps/worker/src/processors. */
export enum QueueName {
  DomainEvents = 'domain-events',
}

/** Job names per queue; a domain event's job is named after the event. */
export type DomainEventJobName = DomainEventType;

export interface DomainEventJobData {
  outboxId: number;
  type: DomainEventType;
  aggregateType: string;
  aggregateId: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** The typed catalogue: which job names each queue carries and the payload of each. */
export interface JobCatalogue {
  [QueueName.DomainEvents]: { name: DomainEventJobName; data: DomainEventJobData };
}

export type JobItem<Q extends QueueName = QueueName> = JobCatalogue[Q];
