import { MigrationInterface, QueryRunner } from 'typeorm';

/** The figures every roll-up cell holds (rollup_cells, rollup_daily and snapshot_cells share them). */
const CELL_FIGURES = `
  not_started integer NOT NULL DEFAULT 0,
  in_progress integer NOT NULL DEFAULT 0,
  blocked integer NOT NULL DEFAULT 0,
  completed integer NOT NULL DEFAULT 0,
  verified integer NOT NULL DEFAULT 0,
  cancelled integer NOT NULL DEFAULT 0,
  redated integer NOT NULL DEFAULT 0,
  slippage_days integer NOT NULL DEFAULT 0,
  rec_not_started integer NOT NULL DEFAULT 0,
  rec_in_progress integer NOT NULL DEFAULT 0,
  rec_implemented integer NOT NULL DEFAULT 0,
  rec_verified integer NOT NULL DEFAULT 0,
  rec_not_accepted integer NOT NULL DEFAULT 0,
  overdue integer NOT NULL DEFAULT 0,
  nsip_overdue integer NOT NULL DEFAULT 0,
  amber integer NOT NULL DEFAULT 0,
  median_days_overdue numeric,
  overdue_hist jsonb`;

const CELL_KEY = `
  grain text NOT NULL CHECK (grain IN ('organisation', 'theme', 'inspection', 'inspection_theme', 'recommendation')),
  organisation_id uuid NOT NULL,
  key text NOT NULL,
  inspection_id uuid,
  theme text,
  recommendation_id uuid`;

/**
 * Progress roll-ups, their daily trend and named "as at" snapshots.
 *
 * rollup_cells holds one row per (grain, organisation, key): the organisation itself, each of its themes,
 * inspections, inspection × theme and recommendations. Reads aggregate a bounded number of cells (organisations in
 * scope × groups), never actions. Date-dependent figures (overdue, RAG, median days overdue) are stored for
 * `as_of_date` together with the open actions' due dates just before and after it (`overdue_hist`, `due_window`),
 * so a read on a later day works them out exactly without touching actions.
 */
export class Rollups1764500000000 implements MigrationInterface {
  name = 'Rollups1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rollup_cells (${CELL_KEY},
        as_of_date date NOT NULL,${CELL_FIGURES},
        due_window jsonb,
        refreshed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (grain, organisation_id, key)
      )`);
    await q.query(`CREATE INDEX rollup_cells_organisation_idx ON rollup_cells (organisation_id)`);
    await q.query(`CREATE INDEX rollup_cells_inspection_idx ON rollup_cells (inspection_id, grain)
      WHERE inspection_id IS NOT NULL`);

    // Organisations with changes not yet in their cells (since: the oldest such change), and how far through the
    // outbox the roll-ups have read: together they say how fresh an answer is (asOf).
    await q.query(`
      CREATE TABLE rollup_pending (
        organisation_id uuid PRIMARY KEY,
        since timestamptz NOT NULL,
        marked_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE rollup_watermark (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        outbox_id bigint NOT NULL
      )`);
    await q.query(`INSERT INTO rollup_watermark (outbox_id) SELECT coalesce(max(id), 0) FROM outbox`);

    // Every recomputation, with what it found: `drift` counts cells that were wrong for the same day.
    await q.query(`
      CREATE TABLE rollup_refreshes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('refresh', 'reconcile')),
        trigger text NOT NULL,
        organisation_ids uuid[],
        organisations integer NOT NULL,
        cells integer NOT NULL,
        drift integer NOT NULL,
        written integer NOT NULL,
        removed integer NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX rollup_refreshes_started_idx ON rollup_refreshes (started_at)`);

    await q.query(`
      CREATE TABLE rollup_daily (
        day date NOT NULL,${CELL_KEY},${CELL_FIGURES},
        PRIMARY KEY (grain, organisation_id, key, day)
      )`);
    await q.query(`CREATE INDEX rollup_daily_key_idx ON rollup_daily (grain, key, day)`);

    await q.query(`
      CREATE TABLE snapshots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (btrim(name) <> ''),
        taken_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        as_of_date date NOT NULL,
        taken_by_id uuid REFERENCES users (id),
        trigger text NOT NULL CHECK (trigger IN ('manual', 'schedule')),
        actions integer NOT NULL,
        cells integer NOT NULL
      )`);
    await q.query(`CREATE INDEX snapshots_taken_idx ON snapshots (taken_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE snapshot_cells (
        snapshot_id uuid NOT NULL REFERENCES snapshots (id),${CELL_KEY},
        as_of_date date NOT NULL,${CELL_FIGURES},
        PRIMARY KEY (snapshot_id, grain, organisation_id, key)
      )`);
    await q.query(`
      CREATE TABLE snapshot_actions (
        snapshot_id uuid NOT NULL REFERENCES snapshots (id),
        action_id uuid NOT NULL,
        organisation_id uuid NOT NULL,
        inspection_id uuid NOT NULL,
        recommendation_id uuid NOT NULL,
        status text NOT NULL,
        progress smallint NOT NULL,
        rag text,
        due_date date NOT NULL,
        original_due_date date NOT NULL,
        days_overdue integer NOT NULL,
        PRIMARY KEY (snapshot_id, action_id)
      )`);
    await q.query(`CREATE INDEX snapshot_actions_organisation_idx ON snapshot_actions (snapshot_id, organisation_id)`);
    // A snapshot is evidence for a board paper: once taken it never changes.
    for (const table of ['snapshots', 'snapshot_cells', 'snapshot_actions']) {
      await q.query(`
        CREATE TRIGGER ${table}_immutable BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION history_is_append_only()`);
      await q.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION history_is_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE snapshot_actions`);
    await q.query(`DROP TABLE snapshot_cells`);
    await q.query(`DROP TABLE snapshots`);
    await q.query(`DROP TABLE rollup_daily`);
    await q.query(`DROP TABLE rollup_refreshes`);
    await q.query(`DROP TABLE rollup_watermark`);
    await q.query(`DROP TABLE rollup_pending`);
    await q.query(`DROP TABLE rollup_cells`);
  }
}
