import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OPEN_STATUS_SQL } from '../actions/action';
import { Clock } from '../shared/clock';
import { londonDateOf } from '../shared/dates';

/**
 * "An action was assigned to you": recorded when an action gets a new owner (from the outbox event), once per
 * event, and sent at once rather than with the day's run. Nobody is told of an assignment they made themselves.
 */
@Injectable()
export class AssignmentNotificationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Returns the email key to deliver, or null when there is nobody to tell. */
  async record(event: { outboxId: number; actionId: string; ownerId: string | null; actorId?: string | null }) {
    if (!event.ownerId || event.ownerId === event.actorId) return null;
    const emailKey = `assigned-${event.outboxId}~${event.ownerId}`;
    const today = londonDateOf(this.clock.now());
    // One email holding one item; its occurrence is the outbox event, so each assignment is told once. It keeps who
    // made the assignment, so the email can say so.
    const rows: { email_key: string }[] = await this.db.query(
      `INSERT INTO emails (email_key, recipient_id, recipient_email, deliver_on, item_action_ids, item_reasons,
         item_occurrences, item_due_dates, item_trigger_dates, assigned_by_id)
       SELECT $5, u.id, u.email, $4, ARRAY[a.id], ARRAY['assigned'], ARRAY[$2::bigint], ARRAY[a.due_date], ARRAY[$4::date],
         (SELECT id FROM users WHERE id = $6::uuid)
       FROM actions a JOIN users u ON u.id = a.owner_id AND u.active
       WHERE a.id = $1 AND a.owner_id = $3 AND a.status ${OPEN_STATUS_SQL}
       ON CONFLICT (email_key) DO UPDATE SET updated_at = emails.updated_at
       RETURNING email_key`,
      [event.actionId, String(event.outboxId), event.ownerId, today, emailKey, event.actorId ?? null],
    );
    return rows[0]?.email_key ?? null;
  }
}
