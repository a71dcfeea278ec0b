/**
 * What the rest of the system may react to. Each is written to the outbox in the same transaction as the
 * change it reports; the worker relays it to BullMQ. Payloads carry ids and the facts of the change, never a
 * snapshot to act on: consumers re-read the current state.
 */
export const DOMAIN_EVENT_TYPES = [
  'action-created',
  'action-changed',
  'action-due-date-moved',
  'action-owner-changed',
  'action-completed',
  'action-verified',
  'recommendation-created',
  'recommendation-changed',
] as const;
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

export interface ActionRef {
  actionId: string;
  recommendationId: string;
  inspectionId: string;
  organisationId: string;
}

export interface RecommendationRef {
  recommendationId: string;
  inspectionId: string;
  organisationId: string;
}

export interface DomainEventPayloads {
  'action-created': ActionRef & { ownerId: string | null; dueDate: string; actorId: string | null };
  /** previousOrganisationId: set when the action moved to another organisation (a hand-over). */
  'action-changed': ActionRef & {
    fields: string[];
    version: number;
    actorId: string | null;
    previousOrganisationId?: string;
  };
  'action-due-date-moved': ActionRef & { from: string; to: string };
  'action-owner-changed': ActionRef & { from: string | null; to: string | null; actorId: string | null };
  'action-completed': ActionRef;
  'action-verified': ActionRef & { verifiedById: string };
  'recommendation-created': RecommendationRef;
  'recommendation-changed': RecommendationRef & { fields: string[]; previousOrganisationId?: string };
}

export type DomainEvent = {
  [T in DomainEventType]: { type: T; aggregateId: string; payload: DomainEventPayloads[T] };
}[DomainEventType];

export function aggregateTypeOf(type: DomainEventType): 'action' | 'recommendation' {
  return type.startsWith('action-') ? 'action' : 'recommendation';
}
