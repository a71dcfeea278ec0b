import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { daysOverdue, isOpen } from '../actions/action-rules';
import { ActionStatus } from '../actions/action';
import { Clock } from '../shared/clock';
import { londonDateOf } from '../shared/dates';
import { preparedStatement } from '../shared/sql';
import { StatementBatcher } from '../shared/statement-batcher';
import { EmailItem, EmailToSend, NotificationKind, NotificationReason } from './notification';

interface PendingRow {
  email_key: string;
  id: string;
  kind: NotificationKind;
  reason: NotificationReason;
  occurrence: string;
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
  assigned_by_name: string | null;
}

/**
 * One statement for the emails about to go (one or several, see EMAIL_BATCH): records their items as
 * notifications, before anything is sent, each under its unique key (action, kind, reason, occurrence, due date,
 * recipient); one already recorded by another email (a second manual run, an overlapping catch-up) is left there, so
 * nothing is told twice. It answers each email's items not skipped, those recorded now and those an earlier attempt
 * of the email recorded (the insert's rows are not visible to the statement's own read of the table, so none is
 * counted twice), with everything needed to check each is still due and to word it, in each email's order.
 * Each item finds its email again by primary key rather than by joining `e`: with several emails, the generic plan
 * for that join looped over every email for every item (29 ms for ten emails of 47 items, against 13 ms).
 */
const RECORD_AND_READ_SQL = `
  WITH e AS (
    SELECT id, email_key, recipient_id, recipient_email, item_action_ids, item_reasons, item_occurrences,
      item_due_dates, item_trigger_dates, assigned_by_id
    FROM emails WHERE email_key = ANY($1::text[]) AND status = 'queued'
  ), recorded AS (
    INSERT INTO notifications (email_id, kind, reason, occurrence, action_id, organisation_id, recipient_id,
      due_date, trigger_date)
    SELECT e.id,
      CASE i.reason WHEN 'escalation' THEN 'escalation' WHEN 'assigned' THEN 'assignment' ELSE 'reminder' END,
      i.reason, i.occurrence, i.action_id, a.organisation_id, e.recipient_id, i.due_date, i.trigger_date
    FROM e
    CROSS JOIN LATERAL unnest(e.item_action_ids, e.item_reasons, e.item_occurrences, e.item_due_dates,
      e.item_trigger_dates) AS i(action_id, reason, occurrence, due_date, trigger_date)
    JOIN actions a ON a.id = i.action_id
    ON CONFLICT ON CONSTRAINT notifications_key_key DO NOTHING
    RETURNING id, email_id, kind, reason, occurrence, due_date, action_id
  ), items AS (
    SELECT * FROM recorded
    UNION ALL
    SELECT n.id, n.email_id, n.kind, n.reason, n.occurrence, n.due_date, n.action_id
    FROM e JOIN notifications n ON n.email_id = e.id AND n.skip_reason IS NULL
  )
  SELECT em.email_key, n.id, n.kind, n.reason, n.occurrence, n.due_date, em.recipient_id, em.recipient_email,
    n.action_id, a.title, a.status AS action_status, a.due_date AS action_due_date, a.owner_id,
    a.organisation_id AS action_organisation_id, r.reference, o.name AS organisation_name,
    u.name AS recipient_name, u.active AS recipient_active,
    (u.accountable_lead AND u.organisation_id = a.organisation_id) AS is_lead,
    n.kind = 'escalation' AND EXISTS (
      SELECT 1 FROM portfolios p WHERE p.user_id = u.id AND p.organisation_id = a.organisation_id
    ) AS in_portfolio,
    ab.name AS assigned_by_name
  FROM items n
  JOIN emails em ON em.id = n.email_id
  JOIN actions a ON a.id = n.action_id
  JOIN recommendations r ON r.id = a.recommendation_id
  JOIN organisations o ON o.id = a.organisation_id
  JOIN users u ON u.id = em.recipient_id
  LEFT JOIN users ab ON ab.id = em.assigned_by_id
  ORDER BY a.due_date, a.id`;

const MARK_SENT_SQL = `
  UPDATE emails e SET status = 'sent', message_id = s.message_id, attempts = e.attempts + 1, last_error = NULL,
    sent_at = clock_timestamp(), updated_at = clock_timestamp()
  FROM unnest($1::text[], $2::text[]) AS s(email_key, message_id)
  WHERE e.email_key = s.email_key AND e.status = 'queued'`;

/**
 * How the send jobs' two statements are shared (StatementBatcher): up to two batches of each running at once, of up
 * to 50 emails. With the worker's 20 concurrent send jobs, a batch holds the emails that became ready while the
 * previous ones ran, so a lone email goes at once and a busy worker commits several emails at a time.
 */
const EMAIL_BATCH = { maxInFlight: 2, maxBatchSize: 50 } as const;

/**
 * The delivery side of reminders: records what an email is about, works out what it still has to say when it is
 * about to go (re-reading every action, so nothing is sent about work completed, re-dated or reassigned since
 * the run decided), and keeps the log's record of how it went.
 */
@Injectable()
export class ReminderDeliveryService {
  /**
   * Runs once per email sent, several emails to a statement: prepared, since planning its joins costs more than
   * running them.
   */
  private readonly recordAndRead: StatementBatcher<string, PendingRow[]>;
  /**
   * Also once per email, so prepared too: parsing and planning the update cost PostgreSQL more than running it
   * (pgbench on the bench data set, one email to an update: 0.41 ms of CPU unprepared, 0.27 ms prepared).
   */
  private readonly recordSent: StatementBatcher<{ emailKey: string; messageId: string }, void>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {
    const recordAndRead = preparedStatement(db, 'reminder-emails-record-and-read', RECORD_AND_READ_SQL);
    this.recordAndRead = new StatementBatcher({
      ...EMAIL_BATCH,
      run: async (emailKeys) => {
        const rows = (await recordAndRead([emailKeys])) as PendingRow[];
        const byEmail = new Map<string, PendingRow[]>(emailKeys.map((key) => [key, []]));
        for (const row of rows) byEmail.get(row.email_key)!.push(row);
        return emailKeys.map((key) => byEmail.get(key)!);
      },
    });
    const recordSent = preparedStatement(db, 'reminder-emails-sent', MARK_SENT_SQL);
    this.recordSent = new StatementBatcher({
      ...EMAIL_BATCH,
      run: async (sent) => {
        await recordSent([sent.map((s) => s.emailKey), sent.map((s) => s.messageId)]);
        return sent.map(() => undefined);
      },
    });
  }

  /**
   * The email to send for this key, or null when it is not waiting or nothing in it is still due (stale items
   * are marked skipped, and so is an email left with nothing to say).
   */
  async prepare(emailKey: string): Promise<EmailToSend | null> {
    const rows = await this.recordAndRead.load(emailKey);
    const today = londonDateOf(this.clock.now());
    const stale = new Map<string, string>();
    for (const row of rows) {
      const why = staleReason(row);
      if (why) stale.set(row.id, why);
    }
    if (stale.size) {
      await this.db.query(
        `UPDATE notifications n SET skip_reason = s.reason
         FROM unnest($1::uuid[], $2::text[]) AS s(id, reason)
         WHERE n.id = s.id AND n.skip_reason IS NULL`,
        [[...stale.keys()], [...stale.values()]],
      );
    }
    const live = rows.filter((r) => !stale.has(r.id));
    if (live.length === 0) {
      await this.db.query(
        `UPDATE emails SET status = 'skipped', updated_at = clock_timestamp() WHERE email_key = $1 AND status = 'queued'`,
        [emailKey],
      );
      return null;
    }
    const first = live[0];
    return {
      emailKey,
      recipient: { id: first.recipient_id, name: first.recipient_name, email: first.recipient_email },
      today,
      items: live.map((r): EmailItem => ({
        notificationId: r.id,
        kind: r.kind,
        reason: r.reason,
        occurrence: Number(r.occurrence),
        actionId: r.action_id,
        actionTitle: r.title,
        recommendationReference: r.reference,
        organisationName: r.organisation_name,
        dueDate: r.action_due_date,
        daysOverdue: daysOverdue({ status: r.action_status, dueDate: r.action_due_date }, today),
        recipientRole: r.kind !== 'escalation' ? 'owner' : r.is_lead ? 'accountable_lead' : 'performance_manager',
        assignedBy: r.assigned_by_name,
      })),
    };
  }

  async markSent(emailKey: string, messageId: string): Promise<void> {
    await this.recordSent.load({ emailKey, messageId });
  }

  /** Records a failed attempt; `final` marks the email failed (no more retries). */
  async markAttemptFailed(emailKey: string, error: string, final: boolean): Promise<void> {
    await this.db.query(
      `UPDATE emails SET attempts = attempts + 1, last_error = $2,
         status = CASE WHEN $3 THEN 'failed' ELSE status END, updated_at = clock_timestamp()
       WHERE email_key = $1 AND status = 'queued'`,
      [emailKey, error.slice(0, 2000), final],
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
