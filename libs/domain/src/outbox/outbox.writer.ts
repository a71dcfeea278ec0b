import { Queryable } from '../shared/sql';
import { aggregateTypeOf, DomainEvent } from './domain-event';

/** Appends events to the outbox inside the caller's transaction: they exist if and only if the change does. */
export async function writeOutbox(manager: Queryable, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  await manager.query(
    `INSERT INTO outbox (event_type, aggregate_type, aggregate_id, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[])`,
    [
      events.map((e) => e.type),
      events.map((e) => aggregateTypeOf(e.type)),
      events.map((e) => e.aggregateId),
      events.map((e) => JSON.stringify(e.payload)),
    ],
  );
}
