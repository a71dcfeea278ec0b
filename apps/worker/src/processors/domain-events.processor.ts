import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { DOMAIN_EVENT_TYPES, DomainEventType } from '@rt/domain';
import { DomainEventJobData, QueueName } from '@rt/jobs';
import { DOMAIN_EVENT_SUBSCRIBERS, DomainEventSubscriber } from './domain-event-subscriber';
import { JobHandlers, QueueProcessor } from './queue-processor';

/**
 * Consumes the relayed outbox: each event goes to every subscriber listening for it. Subscribers are idempotent
 * (delivery is at least once) and do not depend on order: each acts on the state it reads now (an assignment email
 * goes only to the action's current owner; a roll-up refresh recomputes from source), so events are handled
 * several at a time, which keeps up with a stream of hundreds of changes a second.
 */
/** Events handled at once: each mostly waits on PostgreSQL or Redis. */
const EVENTS_AT_ONCE = 8;

@Injectable()
export class DomainEventsProcessor implements QueueProcessor<QueueName.DomainEvents> {
  readonly queue = QueueName.DomainEvents;
  readonly handlers: JobHandlers<QueueName.DomainEvents>;
  readonly options = { concurrency: EVENTS_AT_ONCE };
  private readonly logger = new Logger(DomainEventsProcessor.name);

  constructor(@Inject(DOMAIN_EVENT_SUBSCRIBERS) subscribers: DomainEventSubscriber[]) {
    const handlers = {} as Record<DomainEventType, (job: Job<DomainEventJobData>) => Promise<unknown>>;
    for (const type of DOMAIN_EVENT_TYPES) {
      const listening = subscribers.filter((s) => s.events.includes(type));
      handlers[type] = async (job) => {
        for (const subscriber of listening) await subscriber.handle(job.data);
        this.logger.debug({ outboxId: job.data.outboxId, type, handledBy: listening.map((s) => s.name) });
        return { handledBy: listening.map((s) => s.name) };
      };
    }
    this.handlers = handlers as JobHandlers<QueueName.DomainEvents>;
  }
}
