import { DomainEventType } from '@rt/domain';
import { DomainEventJobData } from '@rt/jobs';

/**
 * Something that reacts to domain events (reminders, roll-ups). Handlers must be idempotent: an event can
 * arrive more than once (at-least-once relay), and they re-read current state rather than trust the payload.
 */
export interface DomainEventSubscriber {
  readonly name: string;
  readonly events: readonly DomainEventType[];
  handle(event: DomainEventJobData): Promise<void>;
}

export const DOMAIN_EVENT_SUBSCRIBERS = Symbol('DOMAIN_EVENT_SUBSCRIBERS');
