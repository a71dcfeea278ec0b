import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client, Pool, types } from 'pg';
import { RollupsService } from '@rt/domain/rollups/rollups.service';
import { SystemClock } from '@rt/domain/shared/clock';
import { ensureDatabase, migrate } from '@rt/database';
import { prepareBenchDatabase } from '../shared/bench-database';
import { freePort, killAllSync, ServerProcess, startServer, stopAll } from '../shared/processes';
import { poolDataSource } from '../shared/pool-data-source';

/*
 * `npm run bench:rollups`: roll-up reads at 1,000,000 actions (the shared rt_bench data set) beside a raw
 * node:http + pg server reading the same rows, the same read at 10,000 actions (its own small database),
 * staleness while 200 action updates/s stream in through the outbox to a real worker, and the full
 * reconciliation time. Prints the figures with PASS/FAIL.
 *
 *   --warmup=S --duration=S   (defaults 3 and 10)   --stream=S  (default 20)
 */
types.setTypeParser(types.builtins.DATE, (value: string) => value);
types.setTypeParser(types.builtins.INT8, (value: string) => Number(value));

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = process.env.BENCH_DATABASE ?? 'rt_bench';
const SMALL_DATABASE = 'rt_bench_rollups_small';
const DIST = join(__dirname, '..', '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) =>
  Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const WARMUP = flag('warmup', 3);
const DURATION = flag('duration', 10);
const STREAM_SECONDS = flag('stream', 20);
const UPDATES_PER_SECOND = 200;
const PM_EMAIL = 'pm-rollups-50@bench.example.org';
const PASSWORD = 'bench-password-national-scale';
const TOKEN_SECRET = `bench-rollups-${randomBytes(16).toString('hex')}`;
const log = (line = '') => console.log(line);
const withDb = (name: string) => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

function service(pool: Pool): RollupsService {
  return new RollupsService(poolDataSource(pool), new SystemClock());
}

/** A performance manager whose portfolio is the first 50 inspected organisations (removed at the end). */
async function addPortfolioManager(pool: Pool, hash: string): Promise<string[]> {
  await removePortfolioManager(pool);
  const { rows } = await pool.query(
    `WITH u AS (INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'Roll-up bench PM', 'performance_manager', $2)
       RETURNING id),
     orgs AS (SELECT DISTINCT organisation_id AS id FROM actions ORDER BY 1 LIMIT 50),
     p AS (INSERT INTO portfolios (user_id, organisation_id) SELECT u.id, orgs.id FROM u, orgs RETURNING organisation_id)
     SELECT organisation_id AS id FROM p`,
    [PM_EMAIL, hash],
  );
  return rows.map((r) => r.id);
}

async function removePortfolioManager(pool: Pool): Promise<void> {
  await pool.query(`DELETE FROM portfolios WHERE user_id IN (SELECT id FROM users WHERE email = $1)`, [PM_EMAIL]);
  await pool.query(`DELETE FROM users WHERE email = $1`, [PM_EMAIL]);
}

/** 50 organisations × 200 actions (10 inspections of 5 recommendations each… in all 10,000 actions). */
async function prepareSmall(hash: string): Promise<string> {
  const url = withDb(SMALL_DATABASE);
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${SMALL_DATABASE} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(url);
  await migrate(url, 'up');
  const db = new Client({ connectionString: url });
  await db.connect();
  await db.query(`
    INSERT INTO organisations (name, kind, region) VALUES ('Inspectorate (bench)', 'inspectorate', 'national');
    INSERT INTO organisations (name, kind, region)
      SELECT format('Small Trust %s', i), 'probation_trust', (ARRAY['london', 'south_east', 'wales'])[1 + i % 3]
      FROM generate_series(1, 50) i;
    INSERT INTO inspections (organisation_id, inspectorate_id, title, published_on)
      SELECT o.id, (SELECT id FROM organisations WHERE kind = 'inspectorate'), format('Inspection %s', o.name),
        current_date - 300
      FROM organisations o WHERE o.kind <> 'inspectorate';
    INSERT INTO recommendations (inspection_id, ordinal, reference, text, theme, priority, owner_organisation_id)
      SELECT i.id, k, format('R%s', k), 'Improve practice.', (ARRAY['risk_of_harm', 'likelihood_of_reoffending',
        'protecting_children', 'sentence_delivery', 'courts_and_victims', 'leadership_and_partnerships'])[1 + k % 6],
        'high', i.organisation_id
      FROM inspections i CROSS JOIN generate_series(1, 20) k;
    INSERT INTO actions (recommendation_id, inspection_id, organisation_id, title, due_date, original_due_date, status,
        progress)
      SELECT r.id, r.inspection_id, r.owner_organisation_id, 'Do it', d, d,
        (ARRAY['not_started', 'in_progress', 'blocked', 'completed', 'verified', 'cancelled'])[1 + floor(random() * 6)::int],
        floor(random() * 100)::int
      FROM recommendations r CROSS JOIN generate_series(1, 10) j
      CROSS JOIN LATERAL (SELECT current_date + (floor(random() * 365)::int - 182) + j * 0 AS d) x;
    UPDATE actions SET progress = 100 WHERE status IN ('completed', 'verified');
    ANALYZE;`);
  await db.end();
  const pool = new Pool({ connectionString: url, max: 4 });
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM actions`);
  log(`Small data set: ${rows[0].n} actions in 50 organisations (database ${SMALL_DATABASE})`);
  await addPortfolioManager(pool, hash);
  await service(pool).reconcile('bench');
  await pool.end();
  return url;
}

async function tokenOf(server: ServerProcess): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: PM_EMAIL, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(server: ServerProcess, path: string, token: string): Promise<Load> {
  const opts = {
    url: `http://127.0.0.1:${server.port}${path}`,
    connections: 32,
    headers: { authorization: `Bearer ${token}` },
  };
  await autocannon({ ...opts, duration: WARMUP });
  const r = await autocannon({ ...opts, duration: DURATION });
  return { rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors };
}

function apiEnv(url: string, port: number): Record<string, string> {
  return {
    DATABASE_URL: url,
    NODE_ENV: 'production',
    TOKEN_SECRET,
    PORT: String(port),
    WORKER_PORT: String(port),
    APP_BASE_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: 'smtp://127.0.0.1:1025',
    REDIS_URL: 'redis://127.0.0.1:6379',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
  };
}

async function servers(url: string): Promise<{ api: ServerProcess; raw: ServerProcess }> {
  const [apiPort, rawPort] = await Promise.all([freePort(), freePort()]);
  const raw = await startServer({
    name: 'raw',
    script: join(DIST, 'bench/rollups/baseline-server.js'),
    env: { DATABASE_URL: url, TOKEN_SECRET, PORT: String(rawPort), POOL_SIZE: '20' },
    port: rawPort,
  });
  const api = await startServer({
    name: 'api',
    script: join(DIST, 'apps/api/src/main.js'),
    env: apiEnv(url, apiPort),
    port: apiPort,
  });
  return { api, raw };
}

/** 200 updates/s to random actions of the portfolio, each with its outbox event, as ActionsService writes them. */
async function stream(pool: Pool, organisationIds: string[]): Promise<{ org: string; at: Date }[]> {
  const { rows: actions } = await pool.query(
    `SELECT id, recommendation_id, inspection_id, organisation_id FROM actions
     WHERE organisation_id = ANY($1) AND status IN ('not_started', 'in_progress')`,
    [organisationIds],
  );
  const done: { org: string; at: Date }[] = [];
  const started = Date.now();
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  while (Date.now() - started < STREAM_SECONDS * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * UPDATES_PER_SECOND);
    while (sent < due) {
      const a = actions[Math.floor(Math.random() * actions.length)];
      sent++;
      const p = (async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query(
            `UPDATE actions SET status = CASE status WHEN 'not_started' THEN 'in_progress' ELSE 'not_started' END,
               progress = (progress + 7) % 100, version = version + 1, updated_at = now()
             WHERE id = $1 RETURNING version`,
            [a.id],
          );
          await client.query(
            `INSERT INTO outbox (event_type, aggregate_type, aggregate_id, payload) VALUES ('action-changed', 'action', $1, $2)`,
            [
              a.id,
              JSON.stringify({
                actionId: a.id,
                recommendationId: a.recommendation_id,
                inspectionId: a.inspection_id,
                organisationId: a.organisation_id,
                fields: ['status', 'progress'],
                version: rows[0].version,
                actorId: null,
              }),
            ],
          );
          await client.query('COMMIT');
          done.push({ org: a.organisation_id, at: new Date() });
        } finally {
          client.release();
        }
      })();
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inFlight);
  return done;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

async function main(): Promise<void> {
  process.on('exit', killAllSync);
  const big = await prepareBenchDatabase({ adminUrl: ADMIN_URL, name: DATABASE, regenerate: false, log });
  const pool = new Pool({ connectionString: big.url, max: 6, application_name: 'bench-rollups' });
  const results: string[] = [];
  try {
    const { rows: hashRows } = await pool.query(
      `SELECT password_hash FROM users WHERE email LIKE 'pm-%@bench.example.org' AND email <> $1 LIMIT 1`,
      [PM_EMAIL],
    );
    const orgs = await addPortfolioManager(pool, hashRows[0].password_hash);
    const rollups = service(pool);
    log('Reconciling every roll-up from source at 1,000,000 actions (first fill, then steady state)…');
    const fill = await rollups.reconcile('bench');
    const again = await rollups.reconcile('bench');
    log(
      `  first: ${fill.ms} ms (${fill.cells} cells, ${fill.written} written); again: ${again.ms} ms, drift ${again.drift}`,
    );
    results.push(
      `full reconciliation at 1,000,000 actions: ${(again.ms / 1000).toFixed(1)} s (first fill ${(fill.ms / 1000).toFixed(1)} s)  target < 30 s  ${verdict(again.ms < 30_000 && fill.ms < 30_000)}`,
    );

    const smallUrl = await prepareSmall(hashRows[0].password_hash);

    const { api, raw } = await servers(big.url);
    const token = await tokenOf(api);
    const measured: Record<string, Load> = {};
    for (const groupBy of ['organisation', 'theme']) {
      const path = `/api/v1/rollups?groupBy=${groupBy}`;
      measured[`raw ${groupBy}`] = await load(raw, path, token);
      measured[`api ${groupBy}`] = await load(api, path, token);
    }
    await api.stop();
    await raw.stop();
    const small = await servers(smallUrl);
    const smallToken = await tokenOf(small.api);
    measured['api organisation @10k'] = await load(small.api, '/api/v1/rollups?groupBy=organisation', smallToken);
    await small.api.stop();
    await small.raw.stop();

    log('');
    log('target                              req/s     p50 ms   p99 ms   non-2xx');
    for (const [name, m] of Object.entries(measured)) {
      log(
        `${name.padEnd(34)} ${m.rps.toFixed(0).padStart(7)} ${String(m.p50).padStart(8)} ${String(m.p99).padStart(8)} ${String(m.non2xx).padStart(9)}`,
      );
    }
    for (const groupBy of ['organisation', 'theme']) {
      const a = measured[`api ${groupBy}`];
      const r = measured[`raw ${groupBy}`];
      results.push(
        `groupBy=${groupBy}: req/s ${(a.rps / r.rps).toFixed(2)}× raw (target ≥ 0.85) ${verdict(a.rps >= 0.85 * r.rps)}; p99 ${(a.p99 / Math.max(1, r.p99)).toFixed(2)}× raw (target ≤ 1.25) ${verdict(a.p99 <= 1.25 * Math.max(1, r.p99))}`,
      );
    }
    const ratio = measured['api organisation'].p99 / Math.max(1, measured['api organisation @10k'].p99);
    results.push(
      `groupBy=organisation p99 at 1,000,000 vs 10,000 actions: ${ratio.toFixed(2)}× (target ≤ 1.5) ${verdict(ratio <= 1.5)}`,
    );

    // Staleness: a real worker on its own queue prefix, 200 updates/s through the outbox.
    const workerPort = await freePort();
    const prefix = `{rt-bench-rollups-${randomBytes(3).toString('hex')}}`;
    const worker = await startServer({
      name: 'worker',
      script: join(DIST, 'apps/worker/src/main.js'),
      env: { ...apiEnv(big.url, workerPort), QUEUE_PREFIX: prefix, OUTBOX_POLL_MS: '50' },
      port: workerPort,
    });
    await new Promise((r) => setTimeout(r, 3_000)); // the relay drains whatever was waiting
    log(`Streaming ${UPDATES_PER_SECOND} updates/s for ${STREAM_SECONDS} s to the portfolio's actions…`);
    const updates = await stream(pool, orgs);
    await new Promise((r) => setTimeout(r, 5_000));
    await worker.stop();
    const { rows: refreshes } = await pool.query(
      `SELECT unnest(organisation_ids) AS org, started_at, finished_at FROM rollup_refreshes
       WHERE kind = 'refresh' AND started_at >= $1 ORDER BY started_at`,
      [new Date(Date.now() - (STREAM_SECONDS + 20) * 1000)],
    );
    const byOrg = new Map<string, { started: number; finished: number }[]>();
    for (const r of refreshes) {
      const list = byOrg.get(r.org) ?? [];
      list.push({ started: new Date(r.started_at).getTime(), finished: new Date(r.finished_at).getTime() });
      byOrg.set(r.org, list);
    }
    const staleness = updates.map((u) => {
      const next = (byOrg.get(u.org) ?? []).find((r) => r.started >= u.at.getTime());
      return next ? next.finished - u.at.getTime() : Infinity;
    });
    const p95 = percentile(staleness, 95);
    log(
      `  ${updates.length} updates, ${refreshes.length} refreshes; staleness p50 ${percentile(staleness, 50)} ms, p95 ${p95} ms, max ${percentile(staleness, 100)} ms`,
    );
    results.push(
      `staleness p95 at ${UPDATES_PER_SECOND} updates/s: ${p95} ms (target < 2000 ms) ${verdict(p95 < 2000)}`,
    );
    const Redis = (await import('ioredis')).default;
    const redis = new Redis('redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  } finally {
    await removePortfolioManager(pool).catch(() => undefined);
    await pool.end();
    await stopAll();
  }
  log('');
  for (const line of results) log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  killAllSync();
  process.exit(1);
});
