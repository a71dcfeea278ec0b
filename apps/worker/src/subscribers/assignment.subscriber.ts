import { Injectable } from '@nestjs/common';
import { AssignmentNotificationsService, DomainEventType } from '@rt/domain';
import { DomainEventJobData } from '@rt/jobs';
import { EmailQueue } from '../delivery/email-queue';
import { DomainEventSubscriber } from '../processors/domain-event-subscriber';

/** A new owner hears at once that an action is theirs (not when they assigned it to themselves). */
@Injectable()
export class AssignmentSubscriber implements DomainEventSubscriber {
  readonly name = 'assignment-email';
  readonly events: readonly DomainEventType[] = ['action-created', 'action-owner-changed'];

  constructor(
    private readonly assignments: AssignmentNotificationsService,
    private readonly emails: EmailQueue,
  ) {}

  async handle(event: DomainEventJobData): Promise<void> {
    const payload = event.payload as {
      actionId: string;
      ownerId?: string | null;
      to?: string | null;
      actorId?: string;
    };
    const emailKey = await this.assignments.record({
      outboxId: event.outboxId,
      actionId: payload.actionId,
      ownerId: event.type === 'action-created' ? (payload.ownerId ?? null) : (payload.to ?? null),
      actorId: payload.actorId ?? null,
    });
    if (emailKey) await this.emails.enqueue([emailKey]);
  }
}
