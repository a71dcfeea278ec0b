import { Logger } from '@nestjs/common';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { Pool, types } from 'pg';
import { RollupsService } from '@rt/domain/rollups/rollups.service';
import { SystemClock } from '@rt/domain/shared/clock';
import { waitForQuietMachine } from '../api/load';
import { prepareBenchDatabase } from '../shared/bench-database';
import { BENCH_PASSWORD } from '../shared/data-set';
import { backendPids, cpuDelta, cpuOf } from '../shared/pg-cpu';
import { cpuMs, freePort, hostCpu, killAllSync, ServerProcess, startServer, stopAll } from '../shared/processes';
import { poolDataSource } from '../shared/pool-data-source';
import { KINDS, launchBrowser, measurePageWeight, PageWeight } from './page-weight';
import { getPage, PROXY_HEADERS, SESSION_COOKIE, signIn } from './web-sessions';

/*
 * `npm run bench:web`: the GOV.UK pages at 1,000,000 actions (the shared rt_bench data set, made or reused by
 * bench/shared/bench-database.ts). Starts the built API as its own process (NODE_ENV=production), signs real
 * people in through the sign-in page, then loads with autocannon at 16 connections, each request carrying a
 * session cookie:
 *   "Your actions" (GET /) as senior managers with a typical number of actions of their own;
 *   the dashboard (GET /dashboard) as performance managers (10 organisations each) and as an admin (everything).
 * Then the page weight of each on first load, measured by Chromium with an empty cache. Prints the figures with
 * PASS/FAIL (p99 < 100 ms, HTML + CSS + JS < 250 KB) and writes them to artifacts/bench-web-<time>.json.
 *
 *   --regenerate              rebuild the data set even if a complete one exists
 *   --warmup=S --duration=S   (defaults 5 and 15)
 *   --log-level=L             the API's LOG_LEVEL (default warn)
 */
types.setTypeParser(types.builtins.DATE, (value: string) => value);
types.setTypeParser(types.builtins.INT8, (value: string) => Number(value));

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = process.env.BENCH_DATABASE ?? 'rt_bench';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DIST = join(__dirname, '..', '..');
const ARTIFACTS = join(DIST, '..', 'artifacts');

const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const WARMUP = Number(option('warmup') ?? 5);
const DURATION = Number(option('duration') ?? 15);
const LOG_LEVEL = option('log-level') ?? 'warn';
const CONNECTIONS = 16;
const TARGETS = { p99Ms: 100, pageKb: 250 };
const KB = 1000;
const SENIOR_MANAGERS = 16;
const PERFORMANCE_MANAGERS = 8;

const log = (line = '') => console.log(line);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Person {
  email: string;
  /** Own actions (senior managers) or organisations in scope (performance managers and admins). */
  size: number;
  session?: string;
}

interface Scenario {
  key: string;
  title: string;
  path: string;
  people: Person[];
  /** What the people have: "53 own actions (median)". */
  describe: string;
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  cpuPerRequest: number;
  pgCpuPerRequest: number;
  otherCpuShare: number;
}

/** Senior managers whose number of own actions is the data set's median, performance managers, one admin. */
async function choosePeople(db: Pool): Promise<Record<'senior' | 'performance' | 'admin', Person[]>> {
  const { rows: senior } = await db.query<Person>(
    `WITH own AS (SELECT owner_id, count(*)::int AS n FROM actions WHERE owner_id IS NOT NULL GROUP BY owner_id),
       mid AS (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n) AS n FROM own)
     SELECT u.email, own.n AS size FROM own JOIN users u ON u.id = own.owner_id, mid
     WHERE u.role = 'senior_manager' AND u.active
     ORDER BY abs(own.n - mid.n), random() LIMIT $1`,
    [SENIOR_MANAGERS],
  );
  const { rows: performance } = await db.query<Person>(
    `SELECT u.email, count(p.organisation_id)::int AS size FROM users u JOIN portfolios p ON p.user_id = u.id
     WHERE u.role = 'performance_manager' AND u.active AND u.email LIKE 'pm-%@bench.example.org'
     GROUP BY u.id HAVING count(p.organisation_id) BETWEEN 10 AND 20 ORDER BY random() LIMIT $1`,
    [PERFORMANCE_MANAGERS],
  );
  const { rows: admin } = await db.query<Person>(
    `SELECT u.email, (SELECT count(*)::int FROM organisations) AS size FROM users u
     WHERE u.role = 'admin' AND u.active AND u.email LIKE 'admin-%@bench.example.org' ORDER BY u.email LIMIT 1`,
  );
  if (senior.length < SENIOR_MANAGERS || performance.length === 0 || admin.length === 0) {
    throw new Error('the bench data set lacks the senior managers, performance managers or admin it should have');
  }
  return { senior, performance, admin };
}

/**
 * The dashboard reads roll-ups, which the worker keeps (no worker runs here): bring them up to date once a day,
 * as the worker's nightly reconciliation does, so reads see today's cells.
 */
async function reconcileRollupsIfStale(db: Pool): Promise<void> {
  const { rows } = await db.query<{ today: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM rollup_refreshes WHERE kind = 'reconcile' AND started_at >= date_trunc('day', now()))
       AND EXISTS (SELECT 1 FROM rollup_cells) AS today`,
  );
  if (rows[0].today) {
    log('Roll-ups: reconciled earlier today, reused');
    return;
  }
  const rollups = new RollupsService(poolDataSource(db), new SystemClock());
  const result = await rollups.reconcile('bench-web');
  log(`Roll-ups: reconciled every organisation in ${(result.ms / 1000).toFixed(1)} s (${result.cells} cells)`);
}

async function startApi(databaseUrl: string, queuePrefix: string): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: 'api',
    script: join(DIST, 'apps/api/src/main.js'),
    env: {
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'production',
      TOKEN_SECRET: randomBytes(32).toString('base64url'),
      PORT: String(port),
      APP_BASE_URL: `http://127.0.0.1:${port}`,
      SMTP_URL: 'smtp://127.0.0.1:1025',
      REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      SEED_DEMO: 'false',
      LOG_LEVEL,
    },
    port,
  });
}

/** Warm-up, then the measured run: each request as one of the scenario's people, picked at random. */
async function load(server: ServerProcess, db: Pool, scenario: Scenario): Promise<LoadResult> {
  const requests: autocannon.RequestDefinition[] = [
    {
      method: 'GET',
      setupRequest: (request) => {
        const person = scenario.people[Math.floor(Math.random() * scenario.people.length)];
        return {
          ...request,
          path: scenario.path,
          headers: { ...PROXY_HEADERS, cookie: `${SESSION_COOKIE}=${person.session}` },
        };
      },
    },
  ];
  const url = `http://127.0.0.1:${server.port}`;
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP, requests });
  (globalThis as { gc?: () => void }).gc?.();

  const pids = await backendPids(db, 'api');
  const pg0 = cpuOf(pids);
  const server0 = cpuMs(server.pid);
  const host0 = hostCpu();
  const bench0 = process.cpuUsage();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, requests });
  const serverMs = cpuMs(server.pid) - server0;
  const pgMs = cpuDelta(pg0, cpuOf(pids));
  const host1 = hostCpu();
  const benchUsage = process.cpuUsage(bench0);
  const tick = 10; // ms per /proc/stat jiffy
  const hostBusyMs = (host1.busy - host0.busy) * tick;
  const hostTotalMs = Math.max(1, (host1.total - host0.total) * tick);
  const benchMs = (benchUsage.user + benchUsage.system) / 1000;
  const requestsDone = result.requests.total;
  return {
    rps: requestsDone / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: requestsDone,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuPerRequest: serverMs / Math.max(1, requestsDone),
    pgCpuPerRequest: pgMs / Math.max(1, requestsDone),
    otherCpuShare: Math.max(0, hostBusyMs - serverMs - pgMs - benchMs) / hostTotalMs,
  };
}

/** Every Redis key the bench's API made under its own prefix (sessions, sign-in failures, queues). */
async function removeKeys(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function printLoad(scenarios: Scenario[], results: Record<string, LoadResult>): void {
  log();
  log(
    `${'page'.padEnd(50)}${'req/s'.padStart(7)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}` +
      `${'non-2xx'.padStart(9)}${'CPU ms/req'.padStart(11)}${'PG ms/req'.padStart(10)}${'other CPU'.padStart(10)}` +
      `   p99 < ${TARGETS.p99Ms} ms`,
  );
  for (const s of scenarios) {
    const r = results[s.key];
    log(
      `${s.title.padEnd(50)}${r.rps.toFixed(0).padStart(7)}${String(r.p50).padStart(8)}${String(r.p99).padStart(8)}` +
        `${String(r.non2xx + r.errors).padStart(9)}${r.cpuPerRequest.toFixed(2).padStart(11)}` +
        `${r.pgCpuPerRequest.toFixed(2).padStart(10)}${`${(r.otherCpuShare * 100).toFixed(0)} %`.padStart(10)}` +
        `   ${verdict(r.p99 < TARGETS.p99Ms && r.non2xx + r.errors === 0)}`,
    );
  }
}

/** What the target counts: HTML, CSS and JS, as the browser has them (uncompressed); fonts and images are extra. */
const htmlCssJs = (w: PageWeight) => w.byKind.html.bytes + w.byKind.css.bytes + w.byKind.js.bytes;

function printWeights(scenarios: Scenario[], weights: Record<string, PageWeight>): void {
  const kb = (bytes: number) => (bytes / KB).toFixed(1);
  log();
  log(
    `${'first load, empty cache (KB = 1,000 bytes)'.padEnd(50)}` +
      `${KINDS.map((k) => k.padStart(8)).join('')}${'total'.padStart(9)}${'transfer'.padStart(10)}${'gzip'.padStart(8)}` +
      `${'html+css+js'.padStart(13)}   html+css+js < ${TARGETS.pageKb} KB`,
  );
  for (const s of scenarios) {
    const w = weights[s.key];
    log(
      `${s.title.padEnd(50)}${KINDS.map((k) => kb(w.byKind[k].bytes).padStart(8)).join('')}` +
        `${kb(w.bytes).padStart(9)}${kb(w.transfer).padStart(10)}${kb(w.gzipBytes).padStart(8)}` +
        `${kb(htmlCssJs(w)).padStart(13)}   ${verdict(htmlCssJs(w) < TARGETS.pageKb * KB)}`,
    );
  }
  const first = weights[scenarios[0].key];
  log(
    `Requests on first load: ${first.resources.map((r) => `${new URL(r.url).pathname} (${kb(r.bytes)})`).join(', ')}`,
  );
  log(
    weights[scenarios[0].key].compressed
      ? 'The server compresses: "transfer" is what went over the wire.'
      : 'The server does not compress: "transfer" is the bodies plus headers; "gzip" is what a compressing proxy would send.',
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  // The domain services log through Nest; here only the bench's own lines matter.
  Logger.overrideLogger(['error']);
  log(`Recommendation Tracker web pages benchmark: ${new Date().toISOString()}`);
  log(
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ` +
      `${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; Node ${process.version}`,
  );
  const database = await prepareBenchDatabase({
    adminUrl: ADMIN_URL,
    name: DATABASE,
    regenerate: args.includes('--regenerate'),
    log,
  });
  log(
    `Data set: ${Object.entries(database.counts)
      .map(([table, n]) => `${table} ${n.toLocaleString('en-GB')}`)
      .join(', ')}`,
  );
  const db = new Pool({ connectionString: database.url, max: 2, application_name: 'bench-web' });
  const queuePrefix = `{rt-bench-web-${randomBytes(3).toString('hex')}}`;
  const report: Record<string, unknown> = { startedAt: new Date().toISOString(), dataSetReused: database.reused };
  try {
    await reconcileRollupsIfStale(db);
    const people = await choosePeople(db);
    const server = await startApi(database.url, queuePrefix);
    const baseUrl = `http://127.0.0.1:${server.port}`;
    log(
      `API: pid ${server.pid} port ${server.port} (node dist/apps/api/src/main.js, NODE_ENV=production, LOG_LEVEL=${LOG_LEVEL})`,
    );

    for (const person of [...people.senior, ...people.performance, ...people.admin]) {
      person.session = await signIn(baseUrl, person.email, BENCH_PASSWORD);
    }
    const sizes = (list: Person[]) => list.map((p) => p.size);
    const scenarios: Scenario[] = [
      {
        key: 'yourActions',
        title: '"Your actions" (GET /), senior managers',
        path: '/',
        people: people.senior,
        describe: `${people.senior.length} senior managers with ${median(sizes(people.senior))} own actions (median of the data set)`,
      },
      {
        key: 'dashboardPm',
        title: 'Dashboard (GET /dashboard), performance managers',
        path: '/dashboard',
        people: people.performance,
        describe: `${people.performance.length} performance managers with ${median(sizes(people.performance))} organisations each`,
      },
      {
        key: 'dashboardAdmin',
        title: 'Dashboard (GET /dashboard), admin',
        path: '/dashboard',
        people: people.admin,
        describe: `an admin over all ${people.admin[0].size} organisations`,
      },
    ];
    for (const s of scenarios) {
      const page = await getPage(baseUrl, s.path, s.people[0].session!);
      const rows = (page.html.match(/data-qa="(action|organisation)-row"/g) ?? []).length;
      if (page.status !== 200) throw new Error(`${s.title} answered ${page.status} to a signed-in session`);
      log(
        `${s.title}: ${s.describe}; the first one's page has ${rows} rows, ${(Buffer.byteLength(page.html) / KB).toFixed(1)} KB of HTML`,
      );
    }
    log(
      `Load: autocannon, ${CONNECTIONS} connections, ${WARMUP} s warm-up then ${DURATION} s measured per page; ` +
        `each request a signed-in person's session cookie. Columns: CPU = the API process, PG = its PostgreSQL ` +
        `backends, per request; other CPU = the machine's share used by anything else (other work on it).`,
    );

    const results: Record<string, LoadResult> = {};
    for (const s of scenarios) {
      const waited = await waitForQuietMachine(20);
      results[s.key] = await load(server, db, s);
      log(
        `  ${s.title}: ${results[s.key].rps.toFixed(0)} req/s${waited > 1 ? ` (waited ${waited} s for a quieter machine)` : ''}`,
      );
    }

    const browser = await launchBrowser();
    const weights: Record<string, PageWeight> = {};
    try {
      for (const s of scenarios) {
        weights[s.key] = await measurePageWeight(
          browser,
          baseUrl,
          s.path,
          { name: SESSION_COOKIE, value: s.people[0].session! },
          PROXY_HEADERS,
        );
      }
    } finally {
      await browser.close();
    }
    await server.stop();

    printLoad(scenarios, results);
    printWeights(scenarios, weights);
    const seconds = (performance.now() - started) / 1000;
    log();
    log(
      `Took ${seconds.toFixed(0)} s${database.generationSeconds !== null ? ` (data set generated in ${database.generationSeconds.toFixed(0)} s)` : ''}.`,
    );

    Object.assign(report, {
      machine: { cores: cpus().length, loadAverage: loadavg(), node: process.version },
      load: { connections: CONNECTIONS, warmupSeconds: WARMUP, measuredSeconds: DURATION, logLevel: LOG_LEVEL },
      targets: TARGETS,
      pages: scenarios.map((s) => ({
        key: s.key,
        title: s.title,
        path: s.path,
        people: s.describe,
        ...results[s.key],
        p99Pass: results[s.key].p99 < TARGETS.p99Ms && results[s.key].non2xx + results[s.key].errors === 0,
        weight: {
          ...weights[s.key],
          htmlCssJs: htmlCssJs(weights[s.key]),
          pass: htmlCssJs(weights[s.key]) < TARGETS.pageKb * KB,
        },
      })),
      seconds,
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, `bench-web-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    log(`Figures written to ${file}`);
  } finally {
    await stopAll();
    await removeKeys(queuePrefix).catch(() => undefined);
    await db.end();
  }
}

process.on('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllSync();
    process.exit(130);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  killAllSync();
  process.exit(1);
});
