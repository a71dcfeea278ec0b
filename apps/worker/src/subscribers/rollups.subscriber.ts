import { Injectable } from '@nestjs/common';
import { DOMAIN_EVENT_TYPES, DomainEventType, RollupsService } from '@rt/domain';
import { DomainEventJobData } from '@rt/jobs';
import { DomainEventSubscriber } from '../processors/domain-event-subscriber';
import { RollupRefreshQueue } from '../rollups/rollup-refresh-queue';

/**
 * Every change to an action or a recommendation makes its organisation's roll-up stale (and, on a hand-over, the
 * previous organisation's): note it (for asOf) and ask for a debounced refresh. Idempotent: a repeated event marks
 * the same organisation and joins or adds a refresh, which recomputes from source.
 */
@Injectable()
export class RollupsSubscriber implements DomainEventSubscriber {
  readonly name = 'rollups';
  readonly events: readonly DomainEventType[] = DOMAIN_EVENT_TYPES;

  constructor(
    private readonly rollups: RollupsService,
    private readonly refreshes: RollupRefreshQueue,
  ) {}

  async handle(event: DomainEventJobData): Promise<void> {
    const payload = event.payload as { organisationId?: string; previousOrganisationId?: string };
    const organisations = [payload.organisationId, payload.previousOrganisationId].filter(
      (id): id is string => typeof id === 'string',
    );
    if (organisations.length === 0) return;
    await this.rollups.markPending(organisations, event.occurredAt, event.outboxId);
    await this.refreshes.request(organisations);
  }
}
