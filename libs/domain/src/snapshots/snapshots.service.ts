import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, scopeCondition } from '../access/actor';
import { ragSql } from '../actions/action-rules';
import { REGIONS } from '../organisations/organisation';
import { THEME_KEYS, THEMES } from '../recommendations/recommendation';
import { RollupCell, RollupGroupBy, RollupItem } from '../rollups/rollup';
import { FiguresAccumulator } from '../rollups/rollup-figures';
import { CELL_READ_COLUMNS, computeCellsSql, FIGURE_COLUMNS, KEY_COLUMNS } from '../rollups/rollup-sql';
import { grainFor } from '../rollups/rollups.service';
import { Clock } from '../shared/clock';
import { londonDateOf } from '../shared/dates';
import { DomainException } from '../shared/domain.exception';
import { decodeCursor, Page, PageRequest, pageSize, toPage } from '../shared/keyset-cursor';
import { iso, poolReader, Queryable, SqlParams } from '../shared/sql';
import { DIFF_LIMIT, SnapshotActionChange, SnapshotDiff, SnapshotSummary, SnapshotView } from './snapshot';

interface SnapshotRow {
  id: string;
  name: string;
  taken_at: Date;
  as_of_date: string;
  taken_by_id: string | null;
  taken_by_name: string | null;
  trigger: 'manual' | 'schedule';
}

const SUMMARY = `SELECT s.id, s.name, s.taken_at, s.as_of_date, s.taken_by_id, u.name AS taken_by_name, s.trigger
  FROM snapshots s LEFT JOIN users u ON u.id = s.taken_by_id`;

function summaryOf(row: SnapshotRow): SnapshotSummary {
  return {
    id: row.id,
    name: row.name,
    takenAt: iso(row.taken_at)!,
    asOfDate: row.as_of_date,
    takenBy: row.taken_by_id ? { id: row.taken_by_id, name: row.taken_by_name ?? '' } : null,
    trigger: row.trigger,
  };
}

/**
 * Named "as at" snapshots: the roll-ups and every action's status, RAG and due date, frozen in one consistent
 * read of the source. Snapshots are global (every organisation); each caller sees the part in their scope. The
 * database refuses any UPDATE, DELETE or TRUNCATE of them.
 */
@Injectable()
export class SnapshotsService {
  private readonly read: Queryable;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {
    this.read = poolReader(db);
  }

  async take(actor: Actor | null, name: string, trigger: 'manual' | 'schedule' = 'manual'): Promise<SnapshotSummary> {
    const date = londonDateOf(this.clock.now());
    const id = await this.db.transaction('REPEATABLE READ', async (tx) => {
      const [{ id }] = await tx.query(
        `INSERT INTO snapshots (name, as_of_date, taken_by_id, trigger, actions, cells)
         VALUES ($1, $2, $3, $4, (SELECT count(*) FROM actions), 0) RETURNING id`,
        [name.trim(), date, actor?.id ?? null, trigger],
      );
      const cols = [...KEY_COLUMNS, 'as_of_date', ...FIGURE_COLUMNS];
      await tx.query(
        `INSERT INTO snapshot_cells (snapshot_id, ${cols.join(', ')})
         SELECT $2::uuid, ${cols.join(', ')} FROM (${computeCellsSql(false)}) fresh`,
        [date, id],
      );
      await tx.query(
        `INSERT INTO snapshot_actions (snapshot_id, action_id, organisation_id, inspection_id, recommendation_id,
           status, progress, rag, due_date, original_due_date, days_overdue)
         SELECT $2::uuid, a.id, a.organisation_id, a.inspection_id, a.recommendation_id, a.status, a.progress,
           ${ragSql('a', '$1::date')},
           a.due_date, a.original_due_date,
           CASE WHEN a.status IN ('not_started', 'in_progress', 'blocked') AND a.due_date < $1::date
             THEN $1::date - a.due_date ELSE 0 END
         FROM actions a`,
        [date, id],
      );
      return id as string;
    });
    return this.summary(id);
  }

  /**
   * The scheduled quarter-end snapshot, named for the quarter ("Quarter ending 31 March 2027"): taken once, so a
   * retried job finds it taken and answers it again.
   */
  async takeQuarterEnd(): Promise<SnapshotSummary> {
    const date = londonDateOf(this.clock.now());
    const inWords = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const name = `Quarter ending ${inWords}`;
    const [taken] = await this.read.query(`SELECT id FROM snapshots WHERE name = $1 AND trigger = 'schedule'`, [name]);
    return taken ? this.summary(taken.id) : this.take(null, name, 'schedule');
  }

  async list(page: PageRequest): Promise<Page<SnapshotSummary>> {
    const p = new SqlParams();
    const where: string[] = ['TRUE'];
    if (page.cursor) {
      const [at, id] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
      where.push(`(s.taken_at, s.id) < (${p.add(at)}::timestamptz, ${p.add(id)}::uuid)`);
    }
    const size = pageSize(page.limit);
    const rows: (SnapshotRow & { at_key: string })[] = await this.read.query(
      `${SUMMARY.replace('SELECT', `SELECT to_char(s.taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key,`)}
       WHERE ${where.join(' AND ')} ORDER BY s.taken_at DESC, s.id DESC LIMIT ${size + 1}`,
      p.values,
    );
    return toPage(rows, size, (r) => [r.at_key, r.id], summaryOf);
  }

  async get(actor: Actor, id: string, groupBy: RollupGroupBy = 'organisation'): Promise<SnapshotView> {
    const summary = await this.summary(id);
    const p = new SqlParams();
    const where = [
      `c.snapshot_id = ${p.add(id)}`,
      `c.grain = ${p.add(grainFor(groupBy, {}))}`,
      scopeCondition(actor, 'c.organisation_id', (v) => p.add(v)),
    ];
    const rows: (RollupCell & {
      organisationId: string;
      orgName: string;
      region: string;
      theme: string | null;
      inspectionId: string | null;
      recommendationId: string | null;
      groupName: string | null;
    })[] = await this.read.query(
      `SELECT c.organisation_id AS "organisationId", o.name AS "orgName", o.region, c.theme,
         c.inspection_id AS "inspectionId", c.recommendation_id AS "recommendationId",
         coalesce(i.title, r.reference || ': ' || r.text) AS "groupName", ${CELL_READ_COLUMNS('c', true, false)}
       FROM snapshot_cells c JOIN organisations o ON o.id = c.organisation_id
       LEFT JOIN inspections i ON i.id = c.inspection_id AND c.grain = 'inspection'
       LEFT JOIN recommendations r ON r.id = c.recommendation_id
       WHERE ${where.join(' AND ')}`,
      p.values,
    );
    const date = summary.asOfDate;
    const total = new FiguresAccumulator(date);
    const groups = new Map<string, { name: string; acc: FiguresAccumulator }>();
    for (const row of rows) {
      const [key, name] =
        groupBy === 'organisation'
          ? [row.organisationId, row.orgName]
          : groupBy === 'region'
            ? [row.region, (REGIONS as Record<string, string>)[row.region] ?? row.region]
            : groupBy === 'theme'
              ? [row.theme!, (THEMES as Record<string, string>)[row.theme!] ?? row.theme!]
              : groupBy === 'inspection'
                ? [row.inspectionId!, row.groupName ?? row.inspectionId!]
                : [row.recommendationId!, row.groupName ?? row.recommendationId!];
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { name, acc: new FiguresAccumulator(date) }));
      group.acc.add(row);
      if (groupBy === 'organisation' || groupBy === 'region') total.add(row);
    }
    if (groupBy !== 'organisation' && groupBy !== 'region') {
      const q = new SqlParams();
      const orgRows: RollupCell[] = await this.read.query(
        `SELECT ${CELL_READ_COLUMNS('c', true, false)} FROM snapshot_cells c
         WHERE c.snapshot_id = ${q.add(id)} AND c.grain = 'organisation'
           AND ${scopeCondition(actor, 'c.organisation_id', (v) => q.add(v))}`,
        q.values,
      );
      for (const row of orgRows) total.add(row);
    }
    const items: RollupItem[] = [...groups].map(([key, g]) => ({ key, name: g.name, ...g.acc.figures() }));
    if (groupBy === 'theme') {
      items.sort((a, b) => THEME_KEYS.indexOf(a.key as never) - THEME_KEYS.indexOf(b.key as never));
    } else {
      items.sort((a, b) => a.name.localeCompare(b.name) || (a.key < b.key ? -1 : 1));
    }
    return { ...summary, groupBy, portfolio: total.figures(), items };
  }

  async diff(actor: Actor, fromId: string, toId: string): Promise<SnapshotDiff> {
    const [from, to] = [await this.summary(fromId), await this.summary(toId)];
    const p = new SqlParams();
    const f = p.add(fromId);
    const t = p.add(toId);
    const scope = scopeCondition(actor, 'b.organisation_id', (v) => p.add(v));
    const rows: (SnapshotActionChange & { section: string; total: number })[] = await this.read.query(
      `WITH pairs AS (
         SELECT b.action_id, b.organisation_id, b.recommendation_id, b.status AS to_status, b.rag AS to_rag,
           b.due_date AS to_due, b.days_overdue AS to_late, a.status AS from_status, a.rag AS from_rag,
           a.due_date AS from_due, a.days_overdue AS from_late
         FROM snapshot_actions b LEFT JOIN snapshot_actions a ON a.snapshot_id = ${f} AND a.action_id = b.action_id
         WHERE b.snapshot_id = ${t} AND ${scope}
       ), sections AS (
         SELECT 'new' AS section, * FROM pairs WHERE from_status IS NULL
         UNION ALL
         SELECT 'completed', * FROM pairs WHERE to_status IN ('completed', 'verified')
           AND (from_status IS NULL OR from_status NOT IN ('completed', 'verified'))
         UNION ALL
         SELECT 'slipped', * FROM pairs WHERE from_due IS NOT NULL AND to_due > from_due
         UNION ALL
         SELECT 'newlyOverdue', * FROM pairs WHERE to_late > 0 AND coalesce(from_late, 0) = 0
       ), ranked AS (
         SELECT s.*, count(*) OVER (PARTITION BY section)::int AS total,
           row_number() OVER (PARTITION BY section ORDER BY organisation_id, to_due, action_id) AS n
         FROM sections s
       )
       SELECT r.section, r.total, r.action_id AS "actionId", act.title, r.organisation_id AS "organisationId",
         r.recommendation_id AS "recommendationId",
         CASE WHEN r.from_status IS NULL THEN NULL ELSE json_build_object('status', r.from_status, 'rag', r.from_rag,
           'dueDate', r.from_due, 'daysOverdue', r.from_late) END AS "from",
         json_build_object('status', r.to_status, 'rag', r.to_rag, 'dueDate', r.to_due, 'daysOverdue', r.to_late) AS "to"
       FROM ranked r JOIN actions act ON act.id = r.action_id
       WHERE r.n <= ${DIFF_LIMIT}
       ORDER BY r.section, r.n`,
      p.values,
    );
    const section = (name: string) => {
      const items = rows.filter((r) => r.section === name);
      return {
        count: items[0]?.total ?? 0,
        items: items.map(({ section: _s, total: _t, ...change }) => change),
      };
    };
    return {
      from,
      to,
      new: section('new'),
      completed: section('completed'),
      slipped: section('slipped'),
      newlyOverdue: section('newlyOverdue'),
    };
  }

  private async summary(id: string): Promise<SnapshotSummary> {
    const rows: SnapshotRow[] = await this.read.query(`${SUMMARY} WHERE s.id = $1`, [id]);
    if (rows.length === 0) throw DomainException.notFound('Snapshot');
    return summaryOf(rows[0]);
  }
}
