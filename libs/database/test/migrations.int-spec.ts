import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ActionsService, Actor, FixedClock } from '@rt/domain';
import { createTestDatabase, TestDatabase } from '@rt/testing';
import { MIGRATIONS } from '../../../migrations';
import { migrate } from '../src/migrate';

const TABLES = [
  'organisations',
  'organisation_successors',
  'users',
  'portfolios',
  'inspections',
  'findings',
  'recommendations',
  'finding_recommendations',
  'actions',
  'action_updates',
  'recommendation_updates',
  'outbox',
];

const INDEXES = [
  'organisations_name_key',
  'organisations_name_id_idx',
  'organisation_successors_successor_idx',
  'users_email_key',
  'users_organisation_idx',
  'portfolios_organisation_idx',
  'inspections_organisation_idx',
  'inspections_published_idx',
  'findings_inspection_ordinal_key',
  'recommendations_inspection_reference_key',
  'recommendations_owner_idx',
  'finding_recommendations_recommendation_idx',
  'actions_owner_open_due_idx',
  'actions_owner_due_idx',
  'actions_organisation_due_idx',
  'actions_recommendation_due_idx',
  'actions_inspection_due_idx',
  'actions_open_due_idx',
  'action_updates_action_idx',
  'recommendation_updates_recommendation_idx',
  'outbox_unsent_idx',
  ...TABLES.map((t) => `${t}_pkey`),
];

/** Everything the migrations define, as text, so two states of the schema can be compared. */
async function schemaOf(db: Client) {
  const q = async (sql: string) => (await db.query(sql)).rows;
  return {
    tables: (
      await q(`SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1`)
    ).map((r) => r.table_name as string),
    columns: await q(`SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1, 2`),
    indexes: await q(`SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`),
    constraints: await q(`SELECT c.conrelid::regclass::text AS table_name, c.conname, pg_get_constraintdef(c.oid) AS def
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.conrelid::regclass::text <> 'migrations' ORDER BY 1, 2`),
    triggers: await q(`SELECT event_object_table, trigger_name, event_manipulation, action_timing, action_statement
      FROM information_schema.triggers WHERE trigger_schema = 'public' ORDER BY 1, 2, 3`),
    functions: await q(`SELECT p.proname, pg_get_functiondef(p.oid) AS def FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.prokind = 'f'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
      ORDER BY 1`),
  };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Creating, filling and dropping a database can take seconds on a busy machine. */
const HOOK_TIMEOUT_MS = 60_000;

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

describe('migrations', () => {
  let database: TestDatabase;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    db = new Client({ connectionString: database.url });
    await db.connect();
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await db?.end();
    await database?.drop();
  }, HOOK_TIMEOUT_MS);

  describe('on an empty database', () => {
    it('lists every migration as pending', async () => {
      expect(await migrate(database.url, 'status')).toEqual(MIGRATIONS.map((m) => m.name));
      expect((await schemaOf(db)).tables).toEqual([]);
    });

    it('go up, creating every table and index, and leave none pending', async () => {
      expect(await migrate(database.url, 'up')).toEqual(MIGRATIONS.map((m) => new m().name));
      const schema = await schemaOf(db);
      expect(schema.tables).toEqual(expect.arrayContaining(TABLES));
      expect(schema.indexes.map((i) => i.indexname)).toEqual(expect.arrayContaining(INDEXES));
      expect(await migrate(database.url, 'status')).toEqual([]);
      expect(await migrate(database.url, 'up')).toEqual([]);
    });
  });

  it('give emails and notifications time-ordered ids (UUID version 7)', async () => {
    const defaults = (
      await db.query(`SELECT table_name, column_default FROM information_schema.columns
        WHERE table_name IN ('emails', 'notifications') AND column_name = 'id' ORDER BY 1`)
    ).rows;
    expect(defaults).toEqual([
      { table_name: 'emails', column_default: 'uuid_v7()' },
      { table_name: 'notifications', column_default: 'uuid_v7()' },
    ]);
    const before = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await db.query(`SELECT uuid_v7()::text AS id`)).rows[0].id as string);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const millis = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
      expect(Math.abs(millis - before)).toBeLessThan(60_000);
    }
    expect([...ids].sort()).toEqual(ids);
  });

  it('go all the way down and up again, leaving the same schema', async () => {
    const before = await schemaOf(db);
    expect(before.tables.length).toBeGreaterThan(0);

    for (let i = MIGRATIONS.length - 1; i >= 0; i--) {
      expect(await migrate(database.url, 'down')).toEqual([new MIGRATIONS[i]().name]);
    }
    const down = await schemaOf(db);
    expect(down).toEqual({ tables: [], columns: [], indexes: [], constraints: [], triggers: [], functions: [] });
    expect(await migrate(database.url, 'status')).toHaveLength(MIGRATIONS.length);

    await migrate(database.url, 'up');
    expect(await schemaOf(db)).toEqual(before);
    expect(await migrate(database.url, 'status')).toEqual([]);
  });
});

describe('the migrated schema', () => {
  let database: TestDatabase;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await db?.end();
    await database?.drop();
  }, HOOK_TIMEOUT_MS);

  describe('with a recommendation and its action', () => {
    let ids: { organisation: string; user: string; recommendation: string; action: string };

    beforeAll(async () => {
      const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0].id as string;
      const organisation = await one(
        `INSERT INTO organisations (name, kind, region) VALUES ('Kent Probation Trust', 'probation_trust', 'south_east')
         RETURNING id`,
      );
      const inspectorate = await one(
        `INSERT INTO organisations (name, kind, region) VALUES ('HMI Probation', 'inspectorate', 'national') RETURNING id`,
      );
      const user = await one(
        `INSERT INTO users (email, name, role, organisation_id, password_hash)
         VALUES ('Head.Of.Public.Protection@Example.org', 'Head of Public Protection', 'senior_manager', $1, 'x')
         RETURNING id`,
        [organisation],
      );
      const inspection = await one(
        `INSERT INTO inspections (organisation_id, inspectorate_id, title, published_on)
         VALUES ($1, $2, 'Inspection of Kent', '2014-03-01') RETURNING id`,
        [organisation, inspectorate],
      );
      const recommendation = await one(
        `INSERT INTO recommendations (inspection_id, ordinal, reference, text, theme, priority, owner_organisation_id)
         VALUES ($1, 1, 'R1', 'Improve the management of risk of harm to others.', 'risk_of_harm', 'high', $2)
         RETURNING id`,
        [inspection, organisation],
      );
      const action = await one(
        `INSERT INTO actions (recommendation_id, inspection_id, organisation_id, title, owner_id, due_date,
           original_due_date)
         VALUES ($1, $2, $3, 'Train staff', $4, '2014-05-30', '2014-05-30') RETURNING id`,
        [recommendation, inspection, organisation, user],
      );
      ids = { organisation, user, recommendation, action };
    });

    it('keeps email addresses unique whatever their case', async () => {
      await expect(
        db.query(
          `INSERT INTO users (email, name, role, organisation_id, password_hash)
           VALUES ('head.of.public.protection@example.ORG', 'Impostor', 'viewer', $1, 'x')`,
          [ids.organisation],
        ),
      ).rejects.toMatchObject({ code: '23505', constraint: 'users_email_key' });
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM users`);
      expect(rows[0].n).toBe(1);
    });

    describe.each([
      ['action_updates', 'action_id', () => ids.action],
      ['recommendation_updates', 'recommendation_id', () => ids.recommendation],
    ])('%s', (table, parent, parentId) => {
      let updateId: string;

      beforeAll(async () => {
        const { rows } = await db.query(
          `INSERT INTO ${table} (${parent}, actor_id, kind, changes, comment)
           VALUES ($1, $2, 'updated', '[{"field":"progress","from":0,"to":60}]', 'Audit tool agreed') RETURNING id`,
          [parentId(), ids.user],
        );
        updateId = rows[0].id;
      });

      it('refuses to rewrite history', async () => {
        await expect(
          db.query(`UPDATE ${table} SET comment = 'Nothing happened' WHERE id = $1`, [updateId]),
        ).rejects.toMatchObject({ code: '23001', message: `${table} is append-only` });
      });

      it('refuses to delete history', async () => {
        await expect(db.query(`DELETE FROM ${table} WHERE id = $1`, [updateId])).rejects.toMatchObject({
          code: '23001',
          message: `${table} is append-only`,
        });
      });

      it('still holds the record as written', async () => {
        const { rows } = await db.query(`SELECT comment, changes FROM ${table} WHERE id = $1`, [updateId]);
        expect(rows).toEqual([{ comment: 'Audit tool agreed', changes: [{ field: 'progress', from: 0, to: 60 }] }]);
      });
    });
  });

  describe('"my overdue actions"', () => {
    const TODAY = '2026-06-01';
    let me: Actor;
    let statement: { sql: string; params: unknown[] };
    let expected: string[];

    beforeAll(async () => {
      // A national-looking spread: 50 organisations, 500 senior managers, 20,000 actions in every status.
      await db.query(
        `INSERT INTO organisations (name, kind, region) VALUES ('Synthetic Inspectorate', 'inspectorate', 'national')`,
      );
      await db.query(`
        INSERT INTO organisations (name, kind, region)
        SELECT 'Synthetic Trust ' || g, 'probation_trust', 'south_east' FROM generate_series(1, 50) g`);
      await db.query(`
        INSERT INTO users (email, name, role, organisation_id, password_hash)
        SELECT 'manager' || g || '@example.org', 'Manager ' || g, 'senior_manager',
          (SELECT id FROM organisations WHERE name = 'Synthetic Trust ' || (g % 50 + 1)), 'x'
        FROM generate_series(1, 500) g`);
      await db.query(`
        INSERT INTO inspections (organisation_id, inspectorate_id, title, published_on)
        SELECT o.id, (SELECT id FROM organisations WHERE name = 'Synthetic Inspectorate'), 'Inspection of ' || o.name,
          '2025-01-01'
        FROM organisations o WHERE o.name LIKE 'Synthetic Trust %'`);
      await db.query(`
        INSERT INTO recommendations (inspection_id, ordinal, reference, text, theme, priority, owner_organisation_id)
        SELECT i.id, 1, 'R1', 'Improve risk assessment.', 'risk_of_harm', 'high', i.organisation_id
        FROM inspections i JOIN organisations o ON o.id = i.organisation_id WHERE o.name LIKE 'Synthetic Trust %'`);
      await db.query(`
        WITH managers AS (
          SELECT u.id, u.organisation_id, row_number() OVER (ORDER BY u.email) - 1 AS n
          FROM users u WHERE u.email LIKE 'manager%@example.org'
        )
        INSERT INTO actions (recommendation_id, inspection_id, organisation_id, title, owner_id, due_date,
          original_due_date, status, progress)
        SELECT r.id, r.inspection_id, m.organisation_id, 'Action ' || g, m.id,
          DATE '2025-06-01' + (g % 730), DATE '2025-06-01' + (g % 730),
          -- Each owner's actions (g = owner + 500k) cycle through every status, with due dates a year either side.
          (ARRAY['completed', 'verified', 'in_progress', 'not_started', 'blocked', 'cancelled', 'completed',
            'verified'])[(g / 500) % 8 + 1],
          CASE WHEN (g / 500) % 8 IN (0, 1, 6, 7) THEN 100 ELSE g % 100 END
        FROM generate_series(0, 19999) g
        JOIN managers m ON m.n = g % 500
        JOIN recommendations r ON r.owner_organisation_id = m.organisation_id`);
      await db.query(`ANALYZE`);

      const { rows } = await db.query(`SELECT id, organisation_id FROM users WHERE email = 'manager7@example.org'`);
      me = {
        id: rows[0].id,
        email: 'manager7@example.org',
        name: 'Manager 7',
        role: 'senior_manager',
        organisationId: rows[0].organisation_id,
        portfolioOrganisationIds: [],
      };
      // The statement ActionsService.list runs for GET /api/v1/actions?owner=me&overdue=true, captured as sent.
      const captured: { sql: string; params: unknown[] }[] = [];
      const record = async (sql: string, params: unknown[] = []) => {
        captured.push({ sql, params });
        return { rows: [] };
      };
      // Reads go to TypeORM's pg pool (driver.master); transactions through the DataSource.
      const recorder = { driver: { master: { query: record } } } as unknown as DataSource;
      const service = new ActionsService(recorder, new FixedClock(new Date(`${TODAY}T12:00:00Z`)));
      await service.list(me, { ownerId: me.id, overdue: true }, {});
      expect(captured).toHaveLength(1);
      statement = captured[0];

      expected = (
        await db.query(
          `SELECT id FROM actions WHERE owner_id = $1 AND due_date < $2
             AND status IN ('not_started', 'in_progress', 'blocked')
           ORDER BY due_date, id LIMIT 50`,
          [me.id, TODAY],
        )
      ).rows.map((r) => r.id);
    }, HOOK_TIMEOUT_MS);

    it("answers the owner's open actions past their due date", async () => {
      expect(expected.length).toBeGreaterThan(0);
      const { rows } = await db.query(statement.sql, statement.params);
      expect(rows.slice(0, 50).map((r) => r.id)).toEqual(expected);
    });

    const scansOf = (explained: { rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[] }) =>
      planNodes(explained.rows[0]['QUERY PLAN'][0].Plan);

    /** The owner's open actions are found through the partial index alone; the table is never scanned. */
    const expectIndexRange = (nodes: PlanNode[]) => {
      const onActions = nodes.filter(
        (n) => n['Relation Name'] === 'actions' || n['Index Name']?.startsWith('actions_'),
      );
      const indexScans = onActions.filter((n) => n['Index Name']);
      expect(indexScans.map((n) => n['Index Name'])).toEqual(['actions_owner_open_due_idx']);
      expect(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']).toContain(indexScans[0]['Node Type']);
      expect(onActions.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    };

    it("is a range scan on the owner's open actions index, not a scan of the actions table", async () => {
      expectIndexRange(scansOf(await db.query(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.params)));
    });

    it("keeps using the index when the plan goes generic (as a prepared statement's does)", async () => {
      await db.query(`PREPARE my_overdue_actions AS ${statement.sql}`);
      await db.query(`SET plan_cache_mode = force_generic_plan`);
      try {
        const args = statement.params.map((v) => `'${String(v).replace(/'/g, "''")}'`).join(', ');
        expectIndexRange(scansOf(await db.query(`EXPLAIN (FORMAT JSON) EXECUTE my_overdue_actions(${args})`)));
      } finally {
        await db.query(`RESET plan_cache_mode`);
        await db.query(`DEALLOCATE my_overdue_actions`);
      }
    });
  });
});
