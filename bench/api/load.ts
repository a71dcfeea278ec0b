import autocannon from 'autocannon';
import { readdirSync } from 'node:fs';
import { Pool } from 'pg';
import { backendPids, cpuDelta, cpuOf } from '../shared/pg-cpu';
import { cpuMs, hostCpu, ServerProcess } from '../shared/processes';
import { Scenario } from './scenarios';

/** Issue 2's load; the bench's --warmup= and --duration= flags change the durations for trial runs only. */
export const LOAD = { connections: 32, warmupSeconds: 5, measuredSeconds: 15 };

export interface Measurement {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Server process CPU (user + system) per request, ms. */
  cpuPerRequest: number;
  /** CPU of the PostgreSQL backends serving this server, per request, ms. */
  pgCpuPerRequest: number;
  non2xx: number;
  errors: number;
  stale: number;
  /** Share of the machine (all cores) used by processes other than this server, the bench and its backends. */
  otherCpuShare: number;
}

const CORES = readdirSync('/sys/devices/system/cpu').filter((d) => /^cpu\d+$/.test(d)).length || 1;
const TICK_MS = 10;

/** A short wait for other work on the machine to settle, so it does not skew the next run. Returns the wait in s. */
export async function waitForQuietMachine(maxSeconds = 60, threshold = 0.3): Promise<number> {
  const started = Date.now();
  for (;;) {
    const a = hostCpu();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const b = hostCpu();
    const busy = (b.busy - a.busy) / Math.max(1, b.total - a.total);
    const waited = (Date.now() - started) / 1000;
    if (busy < threshold || waited >= maxSeconds) return Math.round(waited);
  }
}

/** Warm-up, then the measured run, against one server. */
export async function measure(
  server: ServerProcess,
  applicationName: string,
  scenario: Scenario,
  db: Pool,
): Promise<Measurement> {
  const url = `http://127.0.0.1:${server.port}`;
  await scenario.prepare();
  await autocannon({ url, connections: LOAD.connections, duration: LOAD.warmupSeconds, requests: scenario.requests() });
  await scenario.prepare();
  (globalThis as { gc?: () => void }).gc?.();

  const pids = await backendPids(db, applicationName);
  const pg0 = cpuOf(pids);
  const server0 = cpuMs(server.pid);
  const host0 = hostCpu();
  const bench0 = process.cpuUsage();
  const rssTimer = setInterval(() => server.sampleRss(), 250);
  let result: autocannon.Result;
  try {
    result = await autocannon({
      url,
      connections: LOAD.connections,
      duration: LOAD.measuredSeconds,
      requests: scenario.requests(),
    });
  } finally {
    clearInterval(rssTimer);
  }
  const serverMs = cpuMs(server.pid) - server0;
  const host1 = hostCpu();
  const benchUsage = process.cpuUsage(bench0);
  const pgMs = cpuDelta(pg0, cpuOf(pids));
  server.sampleRss();

  const requests = result.requests.total;
  const hostBusyMs = (host1.busy - host0.busy) * TICK_MS;
  const hostTotalMs = (host1.total - host0.total) * TICK_MS;
  const benchMs = (benchUsage.user + benchUsage.system) / 1000;
  const counted = scenario.counters();
  return {
    requests,
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuPerRequest: serverMs / Math.max(1, requests),
    pgCpuPerRequest: pgMs / Math.max(1, requests),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    stale: counted.stale,
    otherCpuShare: Math.max(0, hostBusyMs - serverMs - benchMs - pgMs) / Math.max(1, hostTotalMs || CORES * 1000),
  };
}
