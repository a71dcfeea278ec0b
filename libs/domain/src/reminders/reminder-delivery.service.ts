import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { daysOverdue, isOpen } from '../actions/action-rules';
import { ActionStatus } from '../actions/action';
import { Clock } from '../shared/clock';
import { londonDateOf } from '../shared/dates';
import { preparedStatement } from '../shared/sql';
import { EmailItem, EmailToSend, NotificationKind, NotificationReason } from './notification';

interface PendingRow {
  id: string;
  kind: NotificationKind;
  reason: NotificationReason;
  occurrence: number;
  due_date: string;
  recipient_id: string;
  recipient_email: string;
  action_id: string;
  title: string;
  action_status: ActionStatus;
  action_due_date: string;
  owner_id: string | null;
  action_organisation_id: string;
  reference: string;
  organisation_name: string;
  recipient_name: string;
  recipient_active: boolean;
  is_lead: boolean;
  in_portfolio: boolean;
}

/** What one email is about, still queued, with everything needed to check it is still due and to word it. */
const PENDING_ITEMS_SQL = `
  SELECT n.id, n.kind, n.reason, n.occurrence, n.due_date, n.recipient_id, u.email AS recipient_email, n.action_id,
    a.title, a.status AS action_status, a.due_date AS action_due_date, a.owner_id,
    a.organisation_id AS action_organisation_id, r.reference, o.name AS organisation_name,
    u.name AS recipient_name, u.active AS recipient_active,
    (u.accountable_lead AND u.organisation_id = a.organisation_id) AS is_lead,
    EXISTS (SELECT 1 FROM portfolios p WHERE p.user_id = u.id AND p.organisation_id = a.organisation_id)
      AS in_portfolio
  FROM notifications n
  JOIN actions a ON a.id = n.action_id
  JOIN recommendations r ON r.id = a.recommendation_id
  JOIN organisations o ON o.id = a.organisation_id
  JOIN users u ON u.id = n.recipient_id
  WHERE n.email_key = $1 AND n.status = 'queued'
  ORDER BY a.due_date, a.id`;

/**
 * The delivery side of reminders: what an email still has to say when it is about to go (re-reading every
 * action, so nothing is sent about work completed, re-dated or reassigned since the run decided), and the
 * log's record of how it went.
 */
@Injectable()
export class ReminderDeliveryService {
  /** Runs once per email sent: prepared, since planning its joins cost more than running them. */
  private readonly pendingItems: (params: [emailKey: string]) => Promise<PendingRow[]>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {
    this.pendingItems = preparedStatement(db, 'reminder-email-pending-items', PENDING_ITEMS_SQL);
  }

  /** The email to send for this key, or null when nothing in it is still due (stale items are marked skipped). */
  async prepare(emailKey: string): Promise<EmailToSend | null> {
    const rows: PendingRow[] = await this.pendingItems([emailKey]);
    if (rows.length === 0) return null;
    const today = londonDateOf(this.clock.now());
    const stale = new Map<string, string>();
    for (const row of rows) {
      const why = staleReason(row);
      if (why) stale.set(row.id, why);
    }
    if (stale.size) {
      await this.db.query(
        `UPDATE notifications n SET status = 'skipped', skip_reason = s.reason, updated_at = clock_timestamp()
         FROM unnest($1::uuid[], $2::text[]) AS s(id, reason)
         WHERE n.id = s.id AND n.status = 'queued'`,
        [[...stale.keys()], [...stale.values()]],
      );
    }
    const live = rows.filter((r) => !stale.has(r.id));
    if (live.length === 0) return null;
    const first = live[0];
    return {
      emailKey,
      recipient: { id: first.recipient_id, name: first.recipient_name, email: first.recipient_email },
      today,
      items: live.map((r): EmailItem => ({
        notificationId: r.id,
        kind: r.kind,
        reason: r.reason,
        occurrence: r.occurrence,
        actionId: r.action_id,
        actionTitle: r.title,
        recommendationReference: r.reference,
        organisationName: r.organisation_name,
        dueDate: r.action_due_date,
        daysOverdue: daysOverdue({ status: r.action_status, dueDate: r.action_due_date }, today),
        recipientRole: r.kind !== 'escalation' ? 'owner' : r.is_lead ? 'accountable_lead' : 'performance_manager',
      })),
    };
  }

  async markSent(notificationIds: string[], messageId: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET status = 'sent', message_id = $2, attempts = attempts + 1, last_error = NULL,
         sent_at = clock_timestamp(), updated_at = clock_timestamp()
       WHERE id = ANY($1::uuid[]) AND status = 'queued'`,
      [notificationIds, messageId],
    );
  }

  /** Records a failed attempt; `final` marks the notifications failed (no more retries). */
  async markAttemptFailed(notificationIds: string[], error: string, final: boolean): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET attempts = attempts + 1, last_error = $2,
         status = CASE WHEN $3 THEN 'failed' ELSE status END, updated_at = clock_timestamp()
       WHERE id = ANY($1::uuid[]) AND status = 'queued'`,
      [notificationIds, error.slice(0, 2000), final],
    );
  }
}

function staleReason(row: PendingRow): string | null {
  if (!isOpen(row.action_status)) return `the action is ${row.action_status.replace('_', ' ')}`;
  if (row.action_due_date !== row.due_date) return `the due date moved to ${row.action_due_date}`;
  if (!row.recipient_active) return 'the recipient is disabled';
  if (row.kind === 'escalation') {
    return row.is_lead || row.in_portfolio ? null : 'the recipient no longer oversees this organisation';
  }
  return row.owner_id === row.recipient_id ? null : 'the action has a new owner';
}
