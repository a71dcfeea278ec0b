import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { ensureDatabase, migrate } from '@rt/database';
import { hashPassword } from '@rt/domain/users/passwords';
import { MIGRATIONS } from '../../migrations';
import {
  ACTION_COUNT,
  BENCH_PASSWORD,
  DATA_SET,
  GENERATE_PHASES,
  RECOMMENDATION_COUNT,
  SCRATCH_TABLES,
  SLICES,
  USER_COUNT,
} from './data-set';

/**
 * The bench database carries this marker (as its COMMENT) while it is being filled and once it is complete. It
 * names the data set's version and a hash of the migrations, so a changed schema means a fresh data set.
 */
const MARKER = 'recommendation-tracker bench data set';
const SCHEMA_HASH = createHash('sha256')
  .update(MIGRATIONS.map((m) => `${m.name}\n${m.prototype.up.toString()}`).join('\n'))
  .digest('hex')
  .slice(0, 12);
const markerFor = (state: 'generating' | 'complete') =>
  `${MARKER} v${DATA_SET.version} schema ${SCHEMA_HASH}: ${state}`;

/** Tables whose secondary indexes are dropped during the bulk load and rebuilt from their own definitions. */
const BULK_TABLES = ['actions', 'action_updates'];

export interface BenchDatabase {
  url: string;
  name: string;
  reused: boolean;
  /** Seconds spent generating (null when an existing complete data set was reused). */
  generationSeconds: number | null;
  steps: { label: string; seconds: number }[];
  counts: Record<string, number>;
}

function withDatabase(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'bench-data-set' });
  await client.connect();
  return client;
}

async function markerOf(adminUrl: string, name: string): Promise<string | null | undefined> {
  const admin = await connect(adminUrl);
  try {
    const { rows } = await admin.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    return rows.length ? rows[0].comment : undefined;
  } finally {
    await admin.end();
  }
}

async function setMarker(adminUrl: string, name: string, state: 'generating' | 'complete'): Promise<void> {
  const admin = await connect(adminUrl);
  try {
    await admin.query(`COMMENT ON DATABASE "${name}" IS '${markerFor(state)}'`);
  } finally {
    await admin.end();
  }
}

async function dropBenchDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = await connect(adminUrl);
  try {
    await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function countRows(url: string): Promise<Record<string, number>> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ table: string; n: string }>(`
      SELECT 'organisations' AS table, count(*) AS n FROM organisations
      UNION ALL SELECT 'users', count(*) FROM users
      UNION ALL SELECT 'portfolios', count(*) FROM portfolios
      UNION ALL SELECT 'inspections', count(*) FROM inspections
      UNION ALL SELECT 'recommendations', count(*) FROM recommendations
      UNION ALL SELECT 'actions', count(*) FROM actions
      UNION ALL SELECT 'action_updates', count(*) FROM action_updates`);
    return Object.fromEntries(rows.map((r) => [r.table, Number(r.n)]));
  } finally {
    await client.end();
  }
}

async function generate(url: string, log: (line: string) => void): Promise<{ label: string; seconds: number }[]> {
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const connections = await Promise.all(Array.from({ length: SLICES }, () => connect(url)));
  const [main] = connections;
  const steps: { label: string; seconds: number }[] = [];
  const timed = async (label: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    const seconds = (performance.now() - started) / 1000;
    steps.push({ label, seconds });
    log(`  ${label.padEnd(34)} ${seconds.toFixed(1).padStart(6)} s`);
  };
  /** Runs the statements on the parallel connections, each connection taking the next one that is waiting. */
  const inParallel = async (statements: string[]) => {
    const queue = [...statements];
    await Promise.all(
      connections.map(async (client) => {
        for (let sql = queue.shift(); sql !== undefined; sql = queue.shift()) {
          await client.query(sql, sql.includes('$1') ? [passwordHash] : []);
        }
      }),
    );
  };
  try {
    // Bulk-load settings for these sessions only. The data is consistent by construction, so foreign-key
    // triggers are skipped while loading (session_replication_role) and secondary indexes are built at the end.
    for (const client of connections) {
      await client.query(`SET synchronous_commit = off`);
      await client.query(`SET work_mem = '256MB'`);
      await client.query(`SET maintenance_work_mem = '512MB'`);
      await client.query(`SET session_replication_role = replica`);
    }
    const { rows: indexes } = await main.query<{ name: string; definition: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
       WHERE i.indrelid = ANY($1::regclass[])
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [BULK_TABLES],
    );
    for (const index of indexes) await main.query(`DROP INDEX ${index.name}`);

    for (const phase of GENERATE_PHASES) await timed(phase.label, () => inParallel(phase.statements));
    await timed(`rebuild ${indexes.length} indexes`, () => inParallel(indexes.map((index) => index.definition)));
    await main.query(`DROP TABLE ${SCRATCH_TABLES.join(', ')}`);
    await timed('vacuum analyze', () =>
      inParallel([
        `VACUUM (ANALYZE) actions`,
        `VACUUM (ANALYZE) action_updates`,
        `VACUUM (ANALYZE) organisations, users, portfolios, inspections, recommendations`,
      ]),
    );
  } finally {
    await Promise.all(connections.map((client) => client.end()));
  }
  return steps;
}

/**
 * The bench database, ready to load: reused when a complete data set of this version is already there (unless
 * `regenerate`), otherwise created, migrated with the project's own migrations and filled.
 */
export async function prepareBenchDatabase(options: {
  adminUrl: string;
  name: string;
  regenerate: boolean;
  log: (line: string) => void;
}): Promise<BenchDatabase> {
  const { adminUrl, name, regenerate, log } = options;
  const url = withDatabase(adminUrl, name);
  const marker = await markerOf(adminUrl, name);

  if (marker === markerFor('complete') && !regenerate) {
    log(`Reusing the complete data set in database ${name} (pass --regenerate to rebuild it)`);
    return { url, name, reused: true, generationSeconds: null, steps: [], counts: await countRows(url) };
  }
  if (marker !== undefined) {
    if (!marker?.startsWith(MARKER)) {
      throw new Error(`database ${name} exists but was not made by this bench; refusing to touch it`);
    }
    log(`Dropping the bench database ${name} (${regenerate ? '--regenerate' : `found "${marker}"`})`);
    await dropBenchDatabase(adminUrl, name);
  }

  await ensureDatabase(url);
  await setMarker(adminUrl, name, 'generating');
  log(`Created database ${name}; running the project's migrations`);
  await migrate(url, 'up');

  log(
    `Generating ${DATA_SET.organisations.toLocaleString('en-GB')} organisations, ` +
      `${RECOMMENDATION_COUNT.toLocaleString('en-GB')} recommendations, ` +
      `${ACTION_COUNT.toLocaleString('en-GB')} actions, ${USER_COUNT.toLocaleString('en-GB')} users`,
  );
  const started = performance.now();
  const steps = await generate(url, log);
  const generationSeconds = (performance.now() - started) / 1000;
  await setMarker(adminUrl, name, 'complete');
  log(`Generated the data set in ${generationSeconds.toFixed(1)} s (including the password hash, indexes and ANALYZE)`);
  return { url, name, reused: false, generationSeconds, steps, counts: await countRows(url) };
}
