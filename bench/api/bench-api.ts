import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { prepareBenchDatabase } from '../shared/bench-database';
import { freePort, killAllSync, ServerProcess, startServer, statusMb, stopAll } from '../shared/processes';
import { LOAD, measure, Measurement, waitForQuietMachine } from './load';
import { checkParity } from './parity';
import { HEADER, medianOf, Results, row, SCENARIO_LABELS, TargetName, verdicts } from './report';
import {
  loadFixtures,
  myOverdueActions,
  readAction,
  Scenario,
  ScenarioKey,
  TokenMinter,
  updateProgress,
} from './scenarios';

/*
 * `npm run bench:api`: issue 2's benchmark. Generates (or reuses) the national-scale data set in its own
 * database, starts the raw baseline and the project API (twice: LOG_LEVEL=info and warn) as separate processes,
 * checks they answer alike, then loads each scenario against each server in turn for ROUNDS rounds and prints
 * every round, the medians, the ratios and PASS/FAIL per target.
 *
 *   --regenerate     rebuild the data set even if a complete one exists
 *   --rounds=N       (default 3)
 *   --warmup=S, --duration=S   shorter runs for trying the bench out (defaults 5 and 15, as the issue asks)
 *   --cpu-prof=DIR   run the project servers under --cpu-prof, writing profiles to DIR (figures then include
 *                    the profiler's overhead: use for finding where time goes, not for the targets)
 */

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = process.env.BENCH_DATABASE ?? 'rt_bench';
const HEADLINE: TargetName = 'project[info]';
const TARGET_NAMES: TargetName[] = ['baseline', 'project[info]', 'project[warn]'];
const DIST = join(__dirname, '..', '..');

const args = process.argv.slice(2);
const regenerate = args.includes('--regenerate');
const flag = (name: string, fallback: number) =>
  Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const rounds = flag('rounds', 3);
LOAD.warmupSeconds = flag('warmup', LOAD.warmupSeconds);
LOAD.measuredSeconds = flag('duration', LOAD.measuredSeconds);
const profileDir = args.find((a) => a.startsWith('--cpu-prof='))?.split('=')[1];

const log = (line = '') => console.log(line);

async function startServers(databaseUrl: string, tokenSecret: string): Promise<Record<TargetName, ServerProcess>> {
  const [basePort, infoPort, warnPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const apiEnv = (port: number, level: string) => ({
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    TOKEN_SECRET: tokenSecret,
    PORT: String(port),
    APP_BASE_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: 'smtp://127.0.0.1:1025',
    REDIS_URL: 'redis://127.0.0.1:6379',
    SEED_DEMO: 'false',
    LOG_LEVEL: level,
  });
  const api = join(DIST, 'apps/api/src/main.js');
  const nodeArgs = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--require', join(DIST, 'bench/shared/exit-on-sigusr2.js')]
    : [];
  const stopSignal = profileDir ? ('SIGUSR2' as const) : undefined;
  const baseline = await startServer({
    name: 'baseline',
    script: join(DIST, 'bench/api/baseline-server.js'),
    env: { DATABASE_URL: databaseUrl, TOKEN_SECRET: tokenSecret, PORT: String(basePort), POOL_SIZE: '20' },
    port: basePort,
  });
  const info = await startServer({
    name: 'project[info]',
    script: api,
    nodeArgs,
    stopSignal,
    env: apiEnv(infoPort, 'info'),
    port: infoPort,
  });
  const warn = await startServer({
    name: 'project[warn]',
    script: api,
    nodeArgs,
    stopSignal,
    env: apiEnv(warnPort, 'warn'),
    port: warnPort,
  });
  return { baseline, 'project[info]': info, 'project[warn]': warn };
}

function printRound(title: string, results: Results, pickRun: (runs: Measurement[]) => Measurement): void {
  log(title);
  log(HEADER);
  for (const key of ['a', 'b', 'c'] as ScenarioKey[]) {
    const base = pickRun(results[key].baseline);
    TARGET_NAMES.forEach((target, i) => {
      const m = pickRun(results[key][target]);
      log(row(key, i === 0, target, m, target === 'baseline' ? undefined : base));
    });
  }
}

async function main(): Promise<void> {
  log(`Recommendation Tracker API benchmark: ${new Date().toISOString()}`);
  log(
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ` +
      `${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; Node ${process.version}`,
  );
  log();
  const database = await prepareBenchDatabase({ adminUrl: ADMIN_URL, name: DATABASE, regenerate, log });
  log(
    `Data set: ${Object.entries(database.counts)
      .map(([table, n]) => `${table} ${n.toLocaleString('en-GB')}`)
      .join(', ')}`,
  );
  if (database.generationSeconds !== null) log(`Generation time: ${database.generationSeconds.toFixed(1)} s`);

  const db = new Pool({ connectionString: database.url, max: 2, application_name: 'bench-driver' });
  try {
    if (database.reused) {
      // Earlier runs' PATCHes leave dead rows (this server runs without autovacuum).
      await db.query(`VACUUM (ANALYZE) actions, action_updates, outbox`);
    }
    const secret = randomBytes(32).toString('base64url');
    const servers = await startServers(database.url, secret);
    log(
      `Servers: ${TARGET_NAMES.map((t) => `${t} pid ${servers[t].pid} port ${servers[t].port}`).join('; ')}` +
        ` (API: node dist/apps/api/src/main.js, NODE_ENV=production, pool 20; baseline: node:http + pg, pool 20)`,
    );

    const fixtures = await loadFixtures(db, new TokenMinter(secret));
    log(
      `Fixtures: ${fixtures.listUsers.length} senior managers for (a), ${fixtures.readPairs.length} action/reader ` +
        `pairs for (b), ${fixtures.writeTargets.length} in-progress actions with their owners for (c)`,
    );
    const { rows: signIn } = await db.query<{ email: string }>(`SELECT email FROM users WHERE id = $1`, [
      fixtures.listUsers[0].id,
    ]);
    for (const note of await checkParity(
      servers.baseline.port,
      servers[HEADLINE].port,
      fixtures,
      db,
      signIn[0].email,
    )) {
      log(`Parity: ${note}`);
    }

    const scenarios: Scenario[] = [myOverdueActions(fixtures), readAction(fixtures), updateProgress(fixtures, db)];
    const results = Object.fromEntries(
      scenarios.map((s) => [s.key, Object.fromEntries(TARGET_NAMES.map((t) => [t, [] as Measurement[]]))]),
    ) as Results;

    log();
    log(
      `Load: autocannon ${LOAD.connections} connections, ${LOAD.warmupSeconds} s warm-up then ` +
        `${LOAD.measuredSeconds} s measured, per scenario and server. Each round takes the scenarios in turn and, ` +
        `within a scenario, the three servers back to back, rotating which goes first from round to round.`,
    );
    for (const s of scenarios) log(`  ${SCENARIO_LABELS[s.key]}: ${s.title}`);
    log(
      `Columns: CPU ms/req = server process utime+stime (/proc/<pid>/stat) over the measured window / requests; ` +
        `PG ms/req = the same for its PostgreSQL backends; other CPU = share of the machine used by anything else ` +
        `(other sessions' work) during the window.`,
    );

    for (let round = 0; round < rounds; round++) {
      const order = TARGET_NAMES.map((_, i) => TARGET_NAMES[(i + round) % TARGET_NAMES.length]);
      log();
      log(`Round ${round + 1} of ${rounds}: order ${order.join(', ')}`);
      for (const scenario of scenarios) {
        for (const target of order) {
          const waited = await waitForQuietMachine();
          const server = servers[target];
          const m = await measure(server, target === 'baseline' ? 'bench-baseline' : 'api', scenario, db);
          results[scenario.key][target].push(m);
          log(
            `  ${SCENARIO_LABELS[scenario.key].padEnd(16)}${target.padEnd(15)} ${Math.round(m.rps)} req/s` +
              `${waited > 1 ? ` (waited ${waited} s for a quiet machine)` : ''}`,
          );
        }
      }
      log();
      printRound(`Round ${round + 1} results`, results, (runs) => runs[round]);
    }

    log();
    printRound(`Medians of ${rounds} rounds (ratios are ratios of the medians)`, results, medianOf);
    const rss = Object.fromEntries(
      TARGET_NAMES.map((t) => [t, { peak: servers[t].peakRssMb, hwm: statusMb(servers[t].pid, 'VmHWM') }]),
    );
    log();
    log(
      `RSS (peak VmRSS sampled every 250 ms while loaded; kernel VmHWM): ` +
        TARGET_NAMES.map((t) => `${t} ${rss[t].peak.toFixed(1)} MB (HWM ${rss[t].hwm.toFixed(1)} MB)`).join('; '),
    );
    const stale = TARGET_NAMES.map((t) => `${t} ${results.c[t].map((m) => m.stale).join('/')}`).join('; ');
    log(`412 responses to (c) per round: ${stale}`);

    for (const project of ['project[info]', 'project[warn]'] as TargetName[]) {
      log();
      log(
        project === HEADLINE
          ? `Targets, headline: ${project} (LOG_LEVEL=info, the default, request logs written to /dev/null)`
          : `Targets with ${project} (LOG_LEVEL=warn: no request logs), for comparison`,
      );
      const checks = verdicts(results, project, servers[project].peakRssMb);
      for (const v of checks) log(v.line);
      log(`  ${checks.every((v) => v.pass) ? 'ALL PASS' : `${checks.filter((v) => !v.pass).length} FAIL`}`);
    }
  } finally {
    await stopAll();
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
