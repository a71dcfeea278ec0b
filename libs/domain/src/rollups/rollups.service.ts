import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Actor, scopeCondition, scopeOf } from '../access/actor';
import { REGIONS } from '../organisations/organisation';
import { THEME_KEYS, THEMES } from '../recommendations/recommendation';
import { Clock } from '../shared/clock';
import { IsoDate, londonDateOf } from '../shared/dates';
import { DomainException } from '../shared/domain.exception';
import { decodeCursor, encodeCursor, pageSize } from '../shared/keyset-cursor';
import { inTransaction, poolReader, preparedStatement, Queryable, SqlParams } from '../shared/sql';
import {
  RollupCell,
  RollupFilter,
  RollupGrain,
  RollupGroupBy,
  RollupItem,
  RollupList,
  RollupPortfolio,
  RollupTrend,
} from './rollup';
import { answersFor, FiguresAccumulator } from './rollup-figures';
import { CELL_READ_COLUMNS, computeCellsSql, FIGURE_COLUMNS, KEY_COLUMNS } from './rollup-sql';

export interface RefreshResult {
  organisations: number;
  cells: number;
  /** Cells that were missing, surplus, or wrong for the same day: what a reconciliation repairs. */
  drift: number;
  written: number;
  removed: number;
}

export interface ReconcileResult extends RefreshResult {
  date: IsoDate;
  ms: number;
}

/** Organisations a refresh job brings up to date at most: its own and those pending longest. */
const REFRESH_BATCH = 50;

/** Organisations per reconciliation transaction. */
const RECONCILE_CHUNK = 100;
/** How many times a read refreshes cells too old to answer for today before it gives up. */
const READ_REFRESH_ATTEMPTS = 3;
const RECONCILE_PARALLEL = 2;

const CELL_COLUMNS = [...KEY_COLUMNS, 'as_of_date', ...FIGURE_COLUMNS, 'due_window'];
const CHANGEABLE = ['inspection_id', 'theme', 'recommendation_id', 'as_of_date', ...FIGURE_COLUMNS, 'due_window'];

/**
 * Recomputes the organisations $2 for the day $1 and writes only the cells that changed; answers how many cells
 * there are, how many had drifted (missing, surplus, or wrong for the same day), and how many were written and
 * removed. Clears the organisations' pending marks made before it started.
 */
function refreshSql(organisations: true | 'one'): string {
  const match = (a: string, b: string) => `${a}.grain = ${b}.grain AND ${a}.organisation_id = ${b}.organisation_id
      AND ${a}.key = ${b}.key`;
  const tuple = (alias: string, cols: readonly string[]) => `(${cols.map((c) => `${alias}.${c}`).join(', ')})`;
  return `WITH fresh AS MATERIALIZED (${computeCellsSql(organisations)}),
    old AS MATERIALIZED (SELECT * FROM rollup_cells WHERE organisation_id = ANY($2::uuid[])),
    drift AS (
      SELECT count(*)::int AS n FROM fresh f FULL JOIN old o ON ${match('o', 'f')}
      WHERE o.key IS NULL OR f.key IS NULL OR (o.as_of_date = f.as_of_date
        AND ${tuple('o', FIGURE_COLUMNS)} IS DISTINCT FROM ${tuple('f', FIGURE_COLUMNS)})
    ),
    removed AS (
      DELETE FROM rollup_cells c WHERE c.organisation_id = ANY($2::uuid[])
        AND NOT EXISTS (SELECT 1 FROM fresh f WHERE ${match('f', 'c')})
      RETURNING 1
    ),
    written AS (
      INSERT INTO rollup_cells (${CELL_COLUMNS.join(', ')})
      SELECT ${CELL_COLUMNS.join(', ')} FROM fresh
      ON CONFLICT (grain, organisation_id, key) DO UPDATE
        SET ${CHANGEABLE.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, refreshed_at = clock_timestamp()
        WHERE ${tuple('rollup_cells', CHANGEABLE)} IS DISTINCT FROM ${tuple('EXCLUDED', CHANGEABLE)}
      RETURNING 1
    ),
    cleared AS (
      DELETE FROM rollup_pending WHERE organisation_id = ANY($2::uuid[]) AND marked_at < statement_timestamp()
      RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM fresh) AS cells, (SELECT n FROM drift) AS drift,
      (SELECT count(*)::int FROM written) AS written, (SELECT count(*)::int FROM removed) AS removed,
      (SELECT count(*)::int FROM cleared) AS cleared`;
}
const REFRESH_SQL = refreshSql(true);
const REFRESH_ONE_SQL = refreshSql('one');

/** The grain that carries a grouping and its filters most cheaply. */
export function grainFor(groupBy: RollupGroupBy | 'portfolio', filter: RollupFilter): RollupGrain {
  if (groupBy === 'recommendation') return 'recommendation';
  const inspection = groupBy === 'inspection' || filter.inspectionId !== undefined;
  const theme = groupBy === 'theme' || filter.theme !== undefined;
  if (inspection && theme) return 'inspection_theme';
  if (inspection) return 'inspection';
  if (theme) return 'theme';
  return 'organisation';
}

interface CellRow extends RollupCell {
  asOf: Date;
  organisationId: string | null;
  region: string;
  orgName: string;
  theme: string | null;
  inspectionId: string | null;
  recommendationId: string | null;
  groupName: string | null;
}

const PAGED: readonly RollupGroupBy[] = ['inspection', 'recommendation'];

/**
 * Progress roll-ups: kept in rollup_cells by the worker (refresh per organisation, debounced; reconciliation from
 * source), read by the API at a cost that depends on the organisations and groups in view, not on the actions.
 */
@Injectable()
export class RollupsService {
  private readonly read: Queryable;
  private readonly logger = new Logger(RollupsService.name);

  /** Prepared: planning it cost four times running it (a dashboard reads it on every view). */
  private readonly withoutFigures: (params: [all: boolean, organisationIds: string[], grain: string]) => Promise<any[]>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {
    this.read = poolReader(db);
    this.withoutFigures = preparedStatement(
      db,
      'rollups-organisations-without-figures',
      `SELECT o.id AS key, o.name FROM organisations o
       WHERE ($1::boolean OR o.id = ANY($2::uuid[])) AND o.status = 'active'
         AND o.kind NOT IN ('inspectorate', 'oversight')
         AND NOT EXISTS (SELECT 1 FROM rollup_cells c WHERE c.organisation_id = o.id AND c.grain = $3)
       ORDER BY o.name, o.id`,
    );
  }

  today(): IsoDate {
    return londonDateOf(this.clock.now());
  }

  // ---- keeping the cells ----

  /**
   * Notes that these organisations have changes not yet in their cells (the oldest at `since`), and that the
   * outbox has been read up to `outboxId`. Idempotent.
   */
  async markPending(organisationIds: string[], since: string, outboxId: number): Promise<void> {
    await this.read.query(
      `WITH marked AS (
         INSERT INTO rollup_pending (organisation_id, since, marked_at)
         SELECT DISTINCT id, $2::timestamptz, clock_timestamp() FROM unnest($1::uuid[]) id
         ON CONFLICT (organisation_id) DO UPDATE
           SET since = least(rollup_pending.since, EXCLUDED.since), marked_at = EXCLUDED.marked_at
       )
       UPDATE rollup_watermark SET outbox_id = $3 WHERE outbox_id < $3`,
      [organisationIds, since, outboxId],
    );
  }

  /** Recomputes every cell of these organisations from source, writing only what changed. */
  async refresh(organisationIds: string[], trigger = 'event', date: IsoDate = this.today()): Promise<RefreshResult> {
    const ids = [...new Set(organisationIds)].sort();
    if (ids.length === 0) return { organisations: 0, cells: 0, drift: 0, written: 0, removed: 0 };
    const started = new Date();
    const result = await this.refreshInTransaction(ids, date);
    await this.read.query(
      `INSERT INTO rollup_refreshes (kind, trigger, organisation_ids, organisations, cells, drift, written, removed,
         started_at)
       VALUES ('refresh', $1, $2, $3, $4, $5, $6, $7, $8)`,
      [trigger, ids, ids.length, result.cells, result.drift, result.written, result.removed, started],
    );
    return result;
  }

  /**
   * A refresh job: brings its organisation's cells up to date and, while at it, those of up to REFRESH_BATCH - 1
   * other organisations still pending (longest first), each in its own short transaction. The work so follows the
   * load: a busy worker refreshes many organisations per job, and their own jobs, finding nothing pending, end at
   * once. Skipping is safe: an organisation is no longer pending only once a refresh that started after its last
   * noted change has committed. Another organisation being refreshed elsewhere is left alone (its own job, which
   * waits for the lock, sees to it).
   */
  async refreshPending(organisationId: string, date: IsoDate = this.today()): Promise<RefreshResult> {
    const others: { id: string }[] = await this.read.query(
      `SELECT organisation_id AS id FROM rollup_pending WHERE organisation_id <> $1 ORDER BY since LIMIT $2`,
      [organisationId, REFRESH_BATCH - 1],
    );
    const total: RefreshResult = { organisations: 0, cells: 0, drift: 0, written: 0, removed: 0 };
    const log = { ids: [] as string[], started: [] as Date[], finished: [] as Date[], results: [] as RefreshResult[] };
    for (const id of [organisationId, ...others.map((o) => o.id)]) {
      const started = new Date();
      const r = await this.refreshOne(id, date, id === organisationId);
      if (!r) continue;
      log.ids.push(id);
      log.started.push(started);
      log.finished.push(new Date());
      log.results.push(r);
      total.organisations += 1;
      total.cells += r.cells;
      total.drift += r.drift;
      total.written += r.written;
      total.removed += r.removed;
    }
    if (log.ids.length > 0) {
      const column = (f: keyof RefreshResult) => log.results.map((r) => r[f]);
      await this.read.query(
        `INSERT INTO rollup_refreshes (kind, trigger, organisation_ids, organisations, cells, drift, written, removed,
           started_at, finished_at)
         SELECT 'refresh', 'event', ARRAY[o], 1, c, d, w, r, s, f
         FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[], $6::timestamptz[], $7::timestamptz[])
           AS t(o, c, d, w, r, s, f)`,
        [log.ids, column('cells'), column('drift'), column('written'), column('removed'), log.started, log.finished],
      );
    }
    return total;
  }

  /**
   * Recomputes every organisation's cells from source (in chunks, two at a time), repairing whatever drifted,
   * and logs how many cells it repaired.
   */
  async reconcile(trigger: string, date: IsoDate = this.today()): Promise<ReconcileResult> {
    const started = new Date();
    const [{ outbox_id: outboxId }] = await this.read.query(`SELECT coalesce(max(id), 0) AS outbox_id FROM outbox`);
    const orgs: { id: string }[] = await this.read.query(
      `SELECT id FROM organisations UNION SELECT DISTINCT organisation_id FROM rollup_cells ORDER BY 1`,
    );
    const chunks: string[][] = [];
    for (let i = 0; i < orgs.length; i += RECONCILE_CHUNK) {
      chunks.push(orgs.slice(i, i + RECONCILE_CHUNK).map((o) => o.id));
    }
    const total: RefreshResult = { organisations: orgs.length, cells: 0, drift: 0, written: 0, removed: 0 };
    let next = 0;
    const lane = async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++];
        const r = await this.refreshInTransaction(chunk, date);
        total.cells += r.cells;
        total.drift += r.drift;
        total.written += r.written;
        total.removed += r.removed;
      }
    };
    await Promise.all(Array.from({ length: RECONCILE_PARALLEL }, lane));
    // Everything committed before the start is in the cells now.
    await this.read.query(
      `WITH w AS (UPDATE rollup_watermark SET outbox_id = $1 WHERE outbox_id < $1)
       DELETE FROM rollup_pending WHERE marked_at < $2`,
      [outboxId, started],
    );
    await this.read.query(
      `INSERT INTO rollup_refreshes (kind, trigger, organisations, cells, drift, written, removed, started_at)
       VALUES ('reconcile', $1, $2, $3, $4, $5, $6, $7)`,
      [trigger, total.organisations, total.cells, total.drift, total.written, total.removed, started],
    );
    const ms = Date.now() - started.getTime();
    const log = { trigger, date, ...total, ms };
    if (total.drift > 0) this.logger.warn(log, `Roll-up reconciliation repaired ${total.drift} drifted cells`);
    else this.logger.log(log, 'Roll-up reconciliation found no drift');
    return { date, ...total, ms };
  }

  /** Copies today's cells (after a reconciliation) into the trend, one row per cell for the day. Idempotent. */
  async captureDay(day: IsoDate): Promise<number> {
    const cols = [...KEY_COLUMNS, ...FIGURE_COLUMNS];
    const rows = await this.read.query(
      `WITH put AS (
         INSERT INTO rollup_daily (day, ${cols.join(', ')})
         SELECT $1::date, ${cols.join(', ')} FROM rollup_cells WHERE as_of_date = $1::date
         ON CONFLICT (grain, organisation_id, key, day) DO UPDATE
           SET ${FIGURE_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
         RETURNING 1)
       SELECT count(*)::int AS n FROM put`,
      [day],
    );
    return rows[0].n;
  }

  /** Drops refresh log rows older than `days`. */
  async pruneLog(days: number): Promise<void> {
    await this.read.query(`DELETE FROM rollup_refreshes WHERE started_at < now() - make_interval(days => $1)`, [days]);
  }

  private async refreshInTransaction(ids: string[], date: IsoDate): Promise<RefreshResult> {
    return inTransaction(this.db, async (tx) => {
      // One refresh per organisation at a time, so an older computation never overwrites a newer one.
      await tx.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('rollups:' || id::text, 0))
         FROM (SELECT id FROM unnest($1::uuid[]) id ORDER BY id) s`,
        [ids],
      );
      const [row] = await tx.query(REFRESH_SQL, [date, ids]);
      return {
        organisations: ids.length,
        cells: row.cells,
        drift: row.drift,
        written: row.written,
        removed: row.removed,
      };
    });
  }

  /**
   * One organisation, if it is still pending, in one transaction: its lock (waited for, or tried and given up if
   * `wait` is false), then the refresh as a prepared statement (planning it cost a tenth of the refresh). Null when
   * there was nothing to do.
   */
  private async refreshOne(id: string, date: IsoDate, wait: boolean): Promise<RefreshResult | null> {
    const pool = (this.db.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const lock = `hashtextextended('rollups:' || $1::uuid::text, 0)`;
        const pending = `EXISTS (SELECT 1 FROM rollup_pending WHERE organisation_id = $1::uuid)`;
        const {
          rows: [claim],
        } = await client.query(
          wait
            ? `SELECT true AS locked, ${pending} AS pending FROM (SELECT pg_advisory_xact_lock(${lock})) l`
            : `SELECT pg_try_advisory_xact_lock(${lock}) AS locked, ${pending} AS pending`,
          [id],
        );
        let result: RefreshResult | null = null;
        if (claim.locked && claim.pending) {
          const {
            rows: [row],
          } = await client.query({ name: 'rollups-refresh-one', text: REFRESH_ONE_SQL, values: [date, [id]] });
          result = { organisations: 1, cells: row.cells, drift: row.drift, written: row.written, removed: row.removed };
        }
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }

  // ---- reading ----

  async list(
    actor: Actor,
    groupBy: RollupGroupBy,
    filter: RollupFilter,
    page: { limit?: number; cursor?: string } = {},
  ): Promise<RollupList> {
    if (filter.attribution === 'then') {
      if (groupBy !== 'organisation') {
        throw DomainException.malformed('attribution', 'attribution=then is for groupBy=organisation');
      }
      return this.listAsThen(actor, filter);
    }
    const today = this.today();
    const paged = PAGED.includes(groupBy);
    const size = pageSize(page.limit);
    const after = paged && page.cursor ? String(decodeCursor(page.cursor, ['uuid'])[0]) : undefined;
    const { asOf, rows } = await this.cells(actor, groupBy, filter, today, {
      limit: paged ? size + 1 : undefined,
      after,
    });
    const groups = new Map<string, { name: string; acc: FiguresAccumulator }>();
    for (const row of rows) {
      const key = groupKey(groupBy, row);
      let group = groups.get(key);
      if (!group) {
        group = { name: groupName(groupBy, row), acc: new FiguresAccumulator(today) };
        groups.set(key, group);
      }
      group.acc.add(row);
    }
    let items: RollupItem[] = [...groups].map(([key, g]) => ({ key, name: g.name, ...g.acc.figures() }));
    let nextCursor: string | null = null;
    if (paged) {
      items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      if (items.length > size) {
        items = items.slice(0, size);
        nextCursor = encodeCursor([items[items.length - 1].key]);
      }
    } else if (groupBy === 'theme') {
      items.sort((a, b) => THEME_KEYS.indexOf(a.key as never) - THEME_KEYS.indexOf(b.key as never));
    } else {
      items.sort((a, b) => a.name.localeCompare(b.name) || (a.key < b.key ? -1 : 1));
    }
    return { asOf: asOf.toISOString(), date: today, items, nextCursor };
  }

  /**
   * Organisation roll-ups "as the organisations were then": the same current figures, from the recommendation
   * cells, but each handed-over recommendation counted under the organisation it was first handed over from.
   * Only what the caller sees now is counted (scope is on the current owner), so a predecessor's former staff see
   * no more than before; the moved work's successors show only their own.
   */
  private async listAsThen(actor: Actor, filter: RollupFilter): Promise<RollupList> {
    const today = this.today();
    const { organisationId, attribution: _attribution, ...rest } = filter;
    const { asOf, rows } = await this.cells(actor, 'recommendation', rest, today, {});
    const origins: { rec: string; org: string; name: string }[] = rows.length
      ? await this.read.query(
          `SELECT DISTINCT ON (m.recommendation_id) m.recommendation_id AS rec, m.from_organisation_id AS org,
             o.name
           FROM handover_moves m JOIN handovers h ON h.id = m.handover_id
           JOIN organisations o ON o.id = m.from_organisation_id
           WHERE m.recommendation_id = ANY($1::uuid[])
           ORDER BY m.recommendation_id, h.effective_on, h.created_at`,
          [rows.map((r) => r.recommendationId)],
        )
      : [];
    const originOf = new Map(origins.map((o) => [o.rec, o]));
    const groups = new Map<string, { name: string; acc: FiguresAccumulator }>();
    for (const row of rows) {
      const origin = originOf.get(row.recommendationId!);
      const key = origin?.org ?? row.organisationId!;
      if (organisationId && key !== organisationId) continue;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { name: origin?.name ?? row.orgName, acc: new FiguresAccumulator(today) }));
      group.acc.add(row);
    }
    const items: RollupItem[] = [...groups]
      .map(([key, g]) => ({ key, name: g.name, ...g.acc.figures() }))
      .sort((a, b) => a.name.localeCompare(b.name) || (a.key < b.key ? -1 : 1));
    return { asOf: asOf.toISOString(), date: today, items, nextCursor: null };
  }

  async portfolio(actor: Actor): Promise<RollupPortfolio> {
    return (await this.portfolioWithOrganisations(actor)).portfolio;
  }

  /**
   * The portfolio's totals and each organisation's figures (as `list(actor, 'organisation')` gives them, by name)
   * from one read of the same cells: a dashboard shows both on every view.
   */
  async portfolioWithOrganisations(actor: Actor): Promise<{ portfolio: RollupPortfolio; organisations: RollupItem[] }> {
    const today = this.today();
    const { asOf, rows } = await this.cells(actor, 'portfolio', {}, today, {});
    const total = new FiguresAccumulator(today);
    const organisations = rows.map((row): RollupItem => {
      total.add(row);
      const one = new FiguresAccumulator(today);
      one.add(row);
      return { key: row.organisationId!, name: row.orgName, ...one.figures() };
    });
    organisations.sort((a, b) => a.name.localeCompare(b.name) || (a.key < b.key ? -1 : 1));
    return {
      portfolio: { asOf: asOf.toISOString(), date: today, organisations: rows.length, ...total.figures() },
      organisations,
    };
  }

  /**
   * The inspected organisations in scope that are active but have nothing to roll up yet (no recommendation or
   * action of their own, e.g. a CRC before the hand-over reaches it), each with zero figures: a portfolio table
   * lists them beside the organisations from `list`.
   */
  async organisationsWithoutFigures(actor: Actor): Promise<RollupItem[]> {
    const today = this.today();
    const scope = scopeOf(actor);
    const rows: { key: string; name: string }[] = await this.withoutFigures([
      scope.all,
      scope.all ? [] : [...scope.organisationIds],
      grainFor('organisation', {}),
    ]);
    return rows.map((row) => ({ key: row.key, name: row.name, ...new FiguresAccumulator(today).figures() }));
  }

  /** One point per day captured between from and to (inclusive), for one group, within the caller's scope. */
  async trend(actor: Actor, groupBy: RollupGroupBy, key: string, from: IsoDate, to: IsoDate): Promise<RollupTrend> {
    if (from > to) throw DomainException.malformed('from', 'from must not be after to');
    const p = new SqlParams();
    const keyed = groupKeyCondition(groupBy, key, p);
    if (keyed === null) return { groupBy, key, name: null, points: [] };
    const rows = await this.dailyRows(actor, groupBy, keyed, from, to, p);
    const name = rows.length === 0 ? null : await this.nameOf(groupBy, key, rows[0]);
    return { groupBy, key, name, points: dailyPoints(rows) };
  }

  /** The trend of everything in the actor's scope (a performance manager's whole portfolio), one read. */
  async portfolioTrend(actor: Actor, from: IsoDate, to: IsoDate): Promise<RollupTrend['points']> {
    if (from > to) throw DomainException.malformed('from', 'from must not be after to');
    return dailyPoints(await this.dailyRows(actor, 'organisation', null, from, to, new SqlParams()));
  }

  private dailyRows(
    actor: Actor,
    groupBy: RollupGroupBy,
    keyed: string | null,
    from: IsoDate,
    to: IsoDate,
    p: SqlParams,
  ): Promise<DailyRow[]> {
    const where = [
      `d.grain = ${p.add(grainFor(groupBy, {}))}`,
      scopeCondition(actor, 'd.organisation_id', (v) => p.add(v)),
      `d.day >= ${p.add(from)}::date`,
      `d.day <= ${p.add(to)}::date`,
    ];
    if (keyed) where.push(keyed);
    return this.read.query(
      `SELECT d.day::text AS day, o.name AS "orgName", o.region, d.theme,
         ${CELL_READ_COLUMNS('d', true, false).replace(/d\.as_of_date/, 'd.day')}
       FROM rollup_daily d JOIN organisations o ON o.id = d.organisation_id
       WHERE ${where.join(' AND ')}
       ORDER BY d.day`,
      p.values,
    );
  }

  private async nameOf(groupBy: RollupGroupBy, key: string, row: { orgName: string }): Promise<string> {
    switch (groupBy) {
      case 'organisation':
        return row.orgName;
      case 'region':
        return (REGIONS as Record<string, string>)[key] ?? key;
      case 'theme':
        return (THEMES as Record<string, string>)[key] ?? key;
      case 'inspection': {
        const [i] = await this.read.query(`SELECT title FROM inspections WHERE id = $1`, [key]);
        return i?.title ?? key;
      }
      case 'recommendation': {
        const [r] = await this.read.query(`SELECT reference, text FROM recommendations WHERE id = $1`, [key]);
        return r ? `${r.reference}: ${r.text}` : key;
      }
    }
  }

  /**
   * The cells a read needs, with asOf. Cells stored for an earlier day are moved on with their due-date window
   * (fetched only then); cells too old for that (no worker for a week) are recomputed here first.
   */
  private async cells(
    actor: Actor,
    groupBy: RollupGroupBy | 'portfolio',
    filter: RollupFilter,
    today: IsoDate,
    page: { limit?: number; after?: string },
  ): Promise<{ asOf: Date; rows: CellRow[] }> {
    const combines = groupBy !== 'organisation';
    const cellRows = (r: CellRow[]) => r.filter((row) => row.organisationId !== null);
    let detailed = combines;
    let result = await this.query(actor, groupBy, filter, today, page, detailed);
    // A refresh still running for an earlier day (the worker's, begun before midnight) may write its older cells
    // between our refresh and our read: refresh again, a few times at most.
    for (let attempt = 1; ; attempt++) {
      const tooOld = cellRows(result).filter((row) => !answersFor(row, today));
      if (tooOld.length === 0 || attempt > READ_REFRESH_ATTEMPTS) break;
      await this.refresh(
        tooOld.map((row) => row.organisationId!),
        'read',
        today,
      );
      result = await this.query(actor, groupBy, filter, today, page, (detailed = true));
    }
    if (!detailed && cellRows(result).some((row) => row.asOfDate !== today)) {
      result = await this.query(actor, groupBy, filter, today, page, true);
    }
    return { asOf: result[0]?.asOf ?? new Date(), rows: cellRows(result) };
  }

  private query(
    actor: Actor,
    groupBy: RollupGroupBy | 'portfolio',
    filter: RollupFilter,
    today: IsoDate,
    page: { limit?: number; after?: string },
    withDetail: boolean,
  ): Promise<CellRow[]> {
    const p = new SqlParams();
    const dueWindow = withDetail ? `${p.add(today)}::date` : false;
    const pendingScope = scopeCondition(actor, 'p.organisation_id', (v) => p.add(v));
    const where = [
      `c.grain = ${p.add(grainFor(groupBy, filter))}`,
      scopeCondition(actor, 'c.organisation_id', (v) => p.add(v)),
    ];
    if (filter.organisationId) where.push(`c.organisation_id = ${p.add(filter.organisationId)}`);
    if (filter.inspectionId) where.push(`c.inspection_id = ${p.add(filter.inspectionId)}`);
    if (filter.theme) where.push(`c.theme = ${p.add(filter.theme)}`);
    if (filter.region) where.push(`o.region = ${p.add(filter.region)}`);
    let joins = '';
    let name = 'NULL::text';
    if (groupBy === 'inspection') {
      joins = 'LEFT JOIN inspections i ON i.id = c.inspection_id';
      name = 'i.title';
    } else if (groupBy === 'recommendation') {
      joins = 'LEFT JOIN recommendations r ON r.id = c.recommendation_id';
      name = `r.reference || ': ' || r.text`;
    }
    const groupColumn = groupBy === 'inspection' ? 'c.inspection_id' : 'c.recommendation_id';
    if (page.after) where.push(`${groupColumn} > ${p.add(page.after)}::uuid`);
    if (page.limit) {
      where.push(`${groupColumn} IN (SELECT DISTINCT c.${groupColumn.slice(2)} FROM rollup_cells c
        JOIN organisations o ON o.id = c.organisation_id
        WHERE ${where.join(' AND ')} ORDER BY 1 LIMIT ${page.limit})`);
    }
    return this.read.query(
      `WITH w AS (
         SELECT least(statement_timestamp(),
           (SELECT min(p.since) FROM rollup_pending p WHERE ${pendingScope}),
           (SELECT ob.created_at FROM outbox ob WHERE ob.id > (SELECT outbox_id FROM rollup_watermark)
            ORDER BY ob.id LIMIT 1)) AS as_of
       )
       SELECT w.as_of AS "asOf", x.* FROM w LEFT JOIN (
         SELECT c.organisation_id AS "organisationId", o.name AS "orgName", o.region, c.theme,
           c.inspection_id AS "inspectionId", c.recommendation_id AS "recommendationId", ${name} AS "groupName",
           ${CELL_READ_COLUMNS('c', withDetail, dueWindow)}
         FROM rollup_cells c JOIN organisations o ON o.id = c.organisation_id ${joins}
         WHERE ${where.join(' AND ')}
       ) x ON TRUE`,
      p.values,
    );
  }
}

type DailyRow = RollupCell & { day: string; orgName: string; region: string; theme: string | null };

/** Daily cells combined into one point per day. */
function dailyPoints(rows: DailyRow[]): RollupTrend['points'] {
  const days = new Map<string, FiguresAccumulator>();
  for (const row of rows) {
    row.asOfDate = row.day;
    let acc = days.get(row.day);
    if (!acc) days.set(row.day, (acc = new FiguresAccumulator(row.day)));
    acc.add(row);
  }
  return [...days].map(([date, acc]) => ({ date, ...acc.figures() }));
}

function groupKey(groupBy: RollupGroupBy, row: CellRow): string {
  switch (groupBy) {
    case 'organisation':
      return row.organisationId!;
    case 'region':
      return row.region;
    case 'theme':
      return row.theme!;
    case 'inspection':
      return row.inspectionId!;
    case 'recommendation':
      return row.recommendationId!;
  }
}

function groupName(groupBy: RollupGroupBy, row: CellRow): string {
  switch (groupBy) {
    case 'organisation':
      return row.orgName;
    case 'region':
      return (REGIONS as Record<string, string>)[row.region] ?? row.region;
    case 'theme':
      return (THEMES as Record<string, string>)[row.theme!] ?? row.theme!;
    case 'inspection':
    case 'recommendation':
      return row.groupName ?? groupKey(groupBy, row);
  }
}

/** The condition picking one group's cells in rollup_daily (alias d, organisations o); null if the key is bad. */
function groupKeyCondition(groupBy: RollupGroupBy, key: string, p: SqlParams): string | null {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key);
  switch (groupBy) {
    case 'organisation':
      return uuid ? `d.organisation_id = ${p.add(key.toLowerCase())}` : null;
    case 'region':
      return `o.region = ${p.add(key)}`;
    case 'theme':
      return `d.key = ${p.add(key)}`;
    case 'inspection':
    case 'recommendation':
      return uuid ? `d.key = ${p.add(key.toLowerCase())}` : null;
  }
}
