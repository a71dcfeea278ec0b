import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { poolReader, Queryable } from '../shared/sql';
import { DataSource } from 'typeorm';
import { DomainEventType } from './domain-event';

export interface OutboxRow {
  id: number;
  eventType: DomainEventType;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

/**
 * Reading the outbox for the relay. A batch is claimed with FOR UPDATE SKIP LOCKED inside a transaction that
 * also holds an advisory lock, so one relay at a time publishes, in id order (and so in order per action);
 * rows are marked sent only once `publish` has succeeded, in the same transaction.
 */
@Injectable()
export class OutboxRepository {
  private readonly read: Queryable;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.read = poolReader(db);
  }

  /** Publishes one batch; returns how many rows were sent (0 when idle or another relay holds the lock). */
  async relayBatch(batchSize: number, publish: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext('outbox:relay')) AS locked`);
      if (!locked) return 0;
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, event_type AS "eventType", aggregate_type AS "aggregateType", aggregate_id AS "aggregateId",
           payload, created_at AS "createdAt"
         FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      for (const row of rows) row.createdAt = new Date(row.createdAt).toISOString();
      await publish(rows);
      await manager.query(`UPDATE outbox SET sent_at = clock_timestamp() WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }

  async backlog(): Promise<{ unsent: number; oldest: string | null }> {
    const [row] = await this.read.query(
      `SELECT count(*)::int AS unsent, min(created_at) AS oldest FROM outbox WHERE sent_at IS NULL`,
    );
    return { unsent: row.unsent, oldest: row.oldest ? new Date(row.oldest).toISOString() : null };
  }
}
