import { Inject, Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { DOMAIN_EVENT_TYPES, DomainEventType } from '@rt/domain';
import { DomainEventJobData, QueueName } from '@rt/jobs';
import { DOMAIN_EVENT_SUBSCRIBERS, DomainEventSubscriber } from './domain-event-subscriber';

/**
 * Consumes the relayed outbox: each event goes to every subscriber that listens for it. One job at a time,
 * so events are handled in the order they were relayed.
 */
@Processor(QueueName.DomainEvents, { concurrency: 1 })
export class DomainEventsProcessor extends WorkerHost {
  private readonly logger = new Logger(DomainEventsProcessor.name);
  private readonly routes: Map<DomainEventType, DomainEventSubscriber[]>;

  constructor(@Inject(DOMAIN_EVENT_SUBSCRIBERS) subscribers: DomainEventSubscriber[]) {
    super();
    this.routes = new Map(DOMAIN_EVENT_TYPES.map((t) => [t, subscribers.filter((s) => s.events.includes(t))]));
  }

  async process(job: Job<DomainEventJobData>): Promise<{ handledBy: string[] }> {
    const event = job.data;
    if (!DOMAIN_EVENT_TYPES.includes(event.type)) throw new Error(`unknown domain event ${String(event.type)}`);
    const subscribers = this.routes.get(event.type) ?? [];
    for (const subscriber of subscribers) await subscriber.handle(event);
    this.logger.debug({ outboxId: event.outboxId, type: event.type, handledBy: subscribers.map((s) => s.name) });
    return { handledBy: subscribers.map((s) => s.name) };
  }
}
