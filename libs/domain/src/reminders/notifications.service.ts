import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, scopeCondition } from '../access/actor';
import { decodeCursor, Page, PageRequest, pageSize, toPage } from '../shared/keyset-cursor';
import { iso, poolReader, Queryable, SqlParams } from '../shared/sql';
import { NotificationFilter, NotificationView } from './notification';

interface NotificationRow {
  id: string;
  key: string;
  kind: NotificationView['kind'];
  reason: NotificationView['reason'];
  occurrence: number;
  action_id: string;
  organisation_id: string;
  recipient_id: string;
  recipient_email: string;
  due_date: string;
  trigger_date: string;
  deliver_on: string;
  status: NotificationView['status'];
  skip_reason: string | null;
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  created_at: Date;
  sent_at: Date | null;
  at_key: string;
}

function toView(r: NotificationRow): NotificationView {
  return {
    id: r.id,
    key: r.key,
    kind: r.kind,
    reason: r.reason,
    occurrence: r.occurrence,
    actionId: r.action_id,
    organisationId: r.organisation_id,
    recipientId: r.recipient_id,
    recipientEmail: r.recipient_email,
    dueDate: r.due_date,
    triggerDate: r.trigger_date,
    deliverOn: r.deliver_on,
    status: r.status,
    skipReason: r.skip_reason,
    attempts: r.attempts,
    lastError: r.last_error,
    messageId: r.message_id,
    createdAt: iso(r.created_at)!,
    sentAt: iso(r.sent_at),
  };
}

/** A notification's delivery status: its email's, unless it was skipped as no longer due when the email went. */
const STATUS_SQL = `CASE WHEN n.skip_reason IS NOT NULL THEN 'skipped' ELSE e.status END`;

/** The delivery log, newest first, limited to the organisations the caller oversees. */
@Injectable()
export class NotificationsService {
  private readonly read: Queryable;

  constructor(@InjectDataSource() db: DataSource) {
    this.read = poolReader(db);
  }

  async list(actor: Actor, filter: NotificationFilter, page: PageRequest): Promise<Page<NotificationView>> {
    const p = new SqlParams();
    const where = [scopeCondition(actor, 'n.organisation_id', (v) => p.add(v))];
    if (filter.recipientId) where.push(`n.recipient_id = ${p.add(filter.recipientId)}`);
    if (filter.actionId) where.push(`n.action_id = ${p.add(filter.actionId)}`);
    if (filter.kind) where.push(`n.kind = ${p.add(filter.kind)}`);
    if (filter.status) where.push(`${STATUS_SQL} = ${p.add(filter.status)}`);
    if (filter.from) where.push(`n.created_at >= ${p.add(filter.from)}::timestamptz`);
    if (filter.to) where.push(`n.created_at < ${p.add(filter.to)}::timestamptz`);
    if (page.cursor) {
      const [at, id] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
      where.push(`(n.created_at, n.id) < (${p.add(at)}::timestamptz, ${p.add(id)}::uuid)`);
    }
    const size = pageSize(page.limit);
    const rows: NotificationRow[] = await this.read.query(
      `SELECT n.id, n.kind || ':' || n.action_id || ':' || n.reason || '-' || n.occurrence || ':' || n.due_date || ':'
           || n.recipient_id AS key,
         n.kind, n.reason, n.occurrence::int AS occurrence, n.action_id, n.organisation_id, n.recipient_id,
         e.recipient_email, n.due_date, n.trigger_date, e.deliver_on, ${STATUS_SQL} AS status, n.skip_reason,
         e.attempts, e.last_error, e.message_id, n.created_at, e.sent_at,
         to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key
       FROM notifications n JOIN emails e ON e.id = n.email_id
       WHERE ${where.join(' AND ')}
       ORDER BY n.created_at DESC, n.id DESC LIMIT ${size + 1}`,
      p.values,
    );
    return toPage(rows, size, (r) => [r.at_key, r.id], toView);
  }
}
