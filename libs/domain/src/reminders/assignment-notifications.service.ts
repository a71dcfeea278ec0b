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
    const rows: { email_key: string }[] = await this.db.query(
      `INSERT INTO notifications (key, kind, reason, occurrence, action_id, organisation_id, recipient_id,
         recipient_email, due_date, trigger_date, deliver_on, email_key)
       SELECT 'assignment:' || a.id || ':' || $2::text || ':' || u.id, 'assignment', 'assigned', 0, a.id,
         a.organisation_id, u.id, u.email, a.due_date, $4, $4, $5
       FROM actions a JOIN users u ON u.id = a.owner_id AND u.active
       WHERE a.id = $1 AND a.owner_id = $3 AND a.status ${OPEN_STATUS_SQL}
       ON CONFLICT (key) DO UPDATE SET updated_at = notifications.updated_at
       RETURNING email_key`,
      [event.actionId, String(event.outboxId), event.ownerId, today, emailKey],
    );
    return rows[0]?.email_key ?? null;
  }
}
