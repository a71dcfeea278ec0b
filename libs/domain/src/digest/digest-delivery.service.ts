import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../shared/clock';
import { daysBetween, IsoDate, londonDateOf } from '../shared/dates';
import {
  DIGEST_SECTION_LIMIT,
  DIGEST_SECTIONS,
  DigestAction,
  DigestOrganisation,
  DigestSectionName,
  DigestToSend,
} from './digest';

interface DigestRow {
  id: string;
  week_start: string;
  week_end: string;
  name: string;
  email: string;
  active: boolean;
  role: string;
  weekly_digest: boolean;
}

interface OrganisationRow {
  id: string;
  name: string;
  total: number;
  done: number;
  awaiting: number;
  overdue: number;
  before_total: number | null;
  before_done: number | null;
}

interface ItemRow {
  section: DigestSectionName;
  organisation_id: string;
  id: string;
  title: string;
  reference: string;
  due_date: string;
  progress: number;
  on_date: string | null;
  previous_due_date: string | null;
  total: number;
}

const OPEN = `('not_started', 'in_progress', 'blocked')`;

/**
 * Each organisation of the recipient's portfolio: its actions now (percent complete, overdue, awaiting
 * verification) and the same figures recorded for the end of the week before ($3 is that week's Monday: the last
 * roll-up trend point of the week before it).
 */
const ORGANISATIONS_SQL = `
  SELECT o.id, o.name,
    count(a.id) FILTER (WHERE a.status <> 'cancelled')::int AS total,
    count(a.id) FILTER (WHERE a.status IN ('completed', 'verified'))::int AS done,
    count(a.id) FILTER (WHERE a.status = 'completed')::int AS awaiting,
    count(a.id) FILTER (WHERE a.status IN ${OPEN} AND a.due_date < $2::date)::int AS overdue,
    b.total AS before_total, b.done AS before_done
  FROM portfolios p
  JOIN organisations o ON o.id = p.organisation_id
  LEFT JOIN actions a ON a.organisation_id = o.id
  LEFT JOIN LATERAL (
    SELECT d.not_started + d.in_progress + d.blocked + d.completed + d.verified AS total,
      d.completed + d.verified AS done
    FROM rollup_daily d
    WHERE d.grain = 'organisation' AND d.organisation_id = o.id AND d.day BETWEEN $3::date - 7 AND $3::date - 1
    ORDER BY d.day DESC LIMIT 1
  ) b ON true
  WHERE p.user_id = $1
  GROUP BY o.id, o.name, b.total, b.done
  ORDER BY o.name, o.id`;

/**
 * What happened in the week ($2 Monday to $3 Sunday, London) to the actions of the recipient's portfolio, by
 * section: newly overdue (still open, due in the week, so overdue since), completed and awaiting verification,
 * verified, re-dated (the due date moved in the week and did not end where it started), and at risk (amber on $4,
 * today). At most $5 per organisation and section, by due date, with the count of all.
 */
const ITEMS_SQL = `
  WITH orgs AS (SELECT organisation_id AS id FROM portfolios WHERE user_id = $1),
  span AS (
    SELECT ($2::date::timestamp AT TIME ZONE 'Europe/London') AS from_at,
      (($3::date + 1)::timestamp AT TIME ZONE 'Europe/London') AS to_at
  ),
  items AS (
    SELECT 'newlyOverdue' AS section, a.*, NULL::date AS on_date, NULL::date AS previous_due_date
    FROM orgs JOIN actions a ON a.organisation_id = orgs.id
    WHERE a.status IN ${OPEN} AND a.due_date BETWEEN $2::date AND $3::date
    UNION ALL
    SELECT 'completed', a.*, (a.completed_at AT TIME ZONE 'Europe/London')::date, NULL
    FROM orgs JOIN actions a ON a.organisation_id = orgs.id, span
    WHERE a.status = 'completed' AND a.completed_at >= span.from_at AND a.completed_at < span.to_at
    UNION ALL
    SELECT 'verified', a.*, (a.verified_at AT TIME ZONE 'Europe/London')::date, NULL
    FROM orgs JOIN actions a ON a.organisation_id = orgs.id, span
    WHERE a.status = 'verified' AND a.verified_at >= span.from_at AND a.verified_at < span.to_at
    UNION ALL
    SELECT 'redated', a.*, NULL, m.previous_due_date
    FROM orgs JOIN actions a ON a.organisation_id = orgs.id
    CROSS JOIN span
    CROSS JOIN LATERAL (
      SELECT (c->>'from')::date AS previous_due_date
      FROM action_updates u CROSS JOIN LATERAL jsonb_array_elements(u.changes) c
      WHERE u.action_id = a.id AND u.created_at >= span.from_at AND u.created_at < span.to_at
        AND c->>'field' = 'dueDate'
      ORDER BY u.created_at, u.id LIMIT 1
    ) m
    WHERE a.status <> 'cancelled' AND a.due_date <> m.previous_due_date
    UNION ALL
    SELECT 'atRisk', a.*, NULL, NULL
    FROM orgs JOIN actions a ON a.organisation_id = orgs.id
    WHERE a.status IN ('not_started', 'in_progress') AND a.due_date BETWEEN $4::date AND $4::date + 14
      AND a.progress < 50
  ),
  ranked AS (
    SELECT i.section, i.organisation_id, i.id, i.title, i.recommendation_id, i.due_date, i.progress, i.on_date,
      i.previous_due_date,
      row_number() OVER (PARTITION BY i.organisation_id, i.section ORDER BY i.due_date, i.id) AS n,
      count(*) OVER (PARTITION BY i.organisation_id, i.section)::int AS total
    FROM items i
  )
  SELECT k.section, k.organisation_id, k.id, k.title, r.reference, k.due_date::text AS due_date, k.progress,
    k.on_date::text AS on_date, k.previous_due_date::text AS previous_due_date, k.total
  FROM ranked k JOIN recommendations r ON r.id = k.recommendation_id
  WHERE k.n <= $5
  ORDER BY k.organisation_id, k.section, k.n`;

const percent = (done: number, total: number | null) =>
  total === null || total === 0 ? null : Math.floor((done * 100) / total);

/**
 * The delivery side of the digest: works out what a queued digest says when it is about to go (the recipient's
 * portfolio now, the week it covers), skips it if the recipient no longer takes it, and keeps the record of how
 * delivery went.
 */
@Injectable()
export class DigestDeliveryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The digest to send, or null when it is not waiting or no longer wanted (then marked skipped, with why). */
  async prepare(recipientId: string, weekStart: IsoDate): Promise<DigestToSend | null> {
    const [digest]: DigestRow[] = await this.db.query(
      `SELECT d.id, d.week_start::text AS week_start, d.week_end::text AS week_end, u.name, u.email, u.active,
         u.role, u.weekly_digest
       FROM digests d JOIN users u ON u.id = d.recipient_id
       WHERE d.recipient_id = $1 AND d.week_start = $2 AND d.status = 'queued'`,
      [recipientId, weekStart],
    );
    if (!digest) return null;
    const why = !digest.active
      ? 'the recipient is disabled'
      : digest.role !== 'performance_manager'
        ? 'the recipient is no longer a performance manager'
        : !digest.weekly_digest
          ? 'the recipient has turned the weekly digest off'
          : null;
    if (why) return this.skip(digest.id, why);
    const today = londonDateOf(this.clock.now());
    const orgs: OrganisationRow[] = await this.db.query(ORGANISATIONS_SQL, [recipientId, today, digest.week_start]);
    if (orgs.length === 0) return this.skip(digest.id, 'the portfolio is empty');
    const items: ItemRow[] = await this.db.query(ITEMS_SQL, [
      recipientId,
      digest.week_start,
      digest.week_end,
      today,
      DIGEST_SECTION_LIMIT,
    ]);
    const organisations = new Map<string, DigestOrganisation>(
      orgs.map((o) => [
        o.id,
        {
          id: o.id,
          name: o.name,
          percentComplete: percent(o.done, o.total),
          percentCompleteBefore: percent(o.before_done ?? 0, o.before_total),
          overdue: o.overdue,
          awaitingVerification: o.awaiting,
          sections: Object.fromEntries(DIGEST_SECTIONS.map((s) => [s, { actions: [], total: 0 }])) as never,
        },
      ]),
    );
    for (const item of items) {
      const section = organisations.get(item.organisation_id)!.sections[item.section];
      section.total = item.total;
      section.actions.push(toAction(item, today));
    }
    if (digest.email) {
      await this.db.query(`UPDATE digests SET recipient_email = $2 WHERE id = $1 AND recipient_email <> $2`, [
        digest.id,
        digest.email,
      ]);
    }
    return {
      digestId: digest.id,
      recipient: { id: recipientId, name: digest.name, email: digest.email },
      weekStart: digest.week_start,
      weekEnd: digest.week_end,
      today,
      organisations: [...organisations.values()],
    };
  }

  async markSent(digestId: string, messageId: string, organisations: number): Promise<void> {
    await this.db.query(
      `UPDATE digests SET status = 'sent', message_id = $2, organisations = $3, attempts = attempts + 1,
         last_error = NULL, sent_at = clock_timestamp(), updated_at = clock_timestamp()
       WHERE id = $1 AND status = 'queued'`,
      [digestId, messageId, organisations],
    );
  }

  /** Records a failed attempt; `final` marks the digest failed (no more retries). */
  async markAttemptFailed(digestId: string, error: string, final: boolean): Promise<void> {
    await this.db.query(
      `UPDATE digests SET attempts = attempts + 1, last_error = $2,
         status = CASE WHEN $3 THEN 'failed' ELSE status END, updated_at = clock_timestamp()
       WHERE id = $1 AND status = 'queued'`,
      [digestId, error.slice(0, 2000), final],
    );
  }

  private async skip(digestId: string, reason: string): Promise<null> {
    await this.db.query(
      `UPDATE digests SET status = 'skipped', skip_reason = $2, updated_at = clock_timestamp()
       WHERE id = $1 AND status = 'queued'`,
      [digestId, reason],
    );
    return null;
  }
}

function toAction(row: ItemRow, today: IsoDate): DigestAction {
  return {
    actionId: row.id,
    title: row.title,
    recommendationReference: row.reference,
    dueDate: row.due_date,
    progress: row.progress,
    daysOverdue: row.section === 'newlyOverdue' ? Math.max(0, daysBetween(row.due_date, today)) : 0,
    on: row.on_date,
    previousDueDate: row.previous_due_date,
  };
}
