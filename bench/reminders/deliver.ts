import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Pool } from 'pg';
import { QueueName, redisOptions } from '@rt/jobs';
import { backendPids, cpuOf } from '../shared/pg-cpu';
import { cpuMs, freePort, hostCpu, ServerProcess, startServer } from '../shared/processes';
import { SmtpSinkProcess } from './smtp-sink-process';

/** Emails left out of the steady window at the start (the worker's first connections, JIT warm-up). */
export const WARMUP_EMAILS = 200;
/** The steady window: this many emails after the warm-up, or this long, whichever comes first. */
export const WINDOW_EMAILS = 10_000;
export const WINDOW_SECONDS = 30;
const SAMPLE_MS = 250;
/** Give up when nothing has been delivered for this long. */
const STALL_MS = 60_000;

interface Sample {
  t: number;
  messages: number;
  workerCpu: number;
  pgCpu: number;
  sinkCpu: number;
  redisCpu: number;
  hostBusy: number;
  hostTotal: number;
}

export interface Window {
  fromEmail: number;
  emails: number;
  seconds: number;
  rate: number;
  /** CPU per email, ms: the worker process, its PostgreSQL backends, the SMTP sink, redis-server. */
  workerCpuPerEmail: number;
  pgCpuPerEmail: number;
  sinkCpuPerEmail: number;
  redisCpuPerEmail: number | null;
  /** Share of the whole machine (all cores) busy during the window. */
  hostBusy: number;
}

export interface DeliveryMeasurement {
  /** The worker process; `peakRssMb`: its largest RSS sampled through the delivery. */
  worker: { pid: number; env: Record<string, string>; peakRssMb: number };
  /** Everything the sink accepted, from the first to the last job completion the queue reported. */
  total: { emails: number; seconds: number; rate: number };
  steady: Window;
  /** Job handling time (active → completed, from the queue's event stream), ms. */
  latency: { count: number; p50: number; p99: number; max: number };
  failedAttempts: number;
  sink: { messages: number; megabytes: number; connections: number };
  /** The notification log afterwards: per status, notifications and distinct emails. */
  log: { status: string; notifications: number; emails: number }[];
  workerStderr: string;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
const eventMs = (id: string) => Number(id.split('-')[0]);

function windowOf(samples: Sample[]): Window {
  const start = samples.find((s) => s.messages >= WARMUP_EMAILS) ?? samples[0];
  const last = samples[samples.length - 1];
  const end =
    samples.find(
      (s) => s.t > start.t && (s.messages >= start.messages + WINDOW_EMAILS || s.t - start.t >= WINDOW_SECONDS * 1000),
    ) ??
    // Fewer emails than a full window: up to the sample where the last one arrived.
    samples.find((s) => s.messages === last.messages) ??
    last;
  const emails = end.messages - start.messages;
  const seconds = (end.t - start.t) / 1000;
  const per = (a: number, b: number) => (emails > 0 ? (b - a) / emails : NaN);
  return {
    fromEmail: start.messages,
    emails,
    seconds,
    rate: seconds > 0 ? emails / seconds : NaN,
    workerCpuPerEmail: per(start.workerCpu, end.workerCpu),
    pgCpuPerEmail: per(start.pgCpu, end.pgCpu),
    sinkCpuPerEmail: per(start.sinkCpu, end.sinkCpu),
    redisCpuPerEmail: Number.isNaN(start.redisCpu) ? null : per(start.redisCpu, end.redisCpu),
    hostBusy: (end.hostBusy - start.hostBusy) / Math.max(1, end.hostTotal - start.hostTotal),
  };
}

/**
 * Starts one worker process (the project's own, `node dist/apps/worker/src/main.js`) against the bench database,
 * with the SMTP sink as its mail server, lets it deliver every email job already waiting, and samples progress and
 * CPU every 250 ms.
 */
export async function deliver(options: {
  dist: string;
  databaseUrl: string;
  driver: Pool;
  redisUrl: string;
  queuePrefix: string;
  redisPid: number | null;
  sink: SmtpSinkProcess;
  expectedEmails: number;
  /** Worker settings given on the command line (EMAIL_CONCURRENCY and so on); the project's defaults otherwise. */
  workerSettings: Record<string, string>;
  tokenSecret: string;
  profileDir?: string;
  /** Preload no-nagle.js into the worker (a diagnosis). */
  noNagle?: boolean;
  log: (line: string) => void;
}): Promise<DeliveryMeasurement> {
  const { driver, sink, redisPid } = options;
  const connection = redisOptions(options.redisUrl);
  const queue = new Queue(QueueName.Email, { connection, prefix: options.queuePrefix });
  const events = new QueueEvents(QueueName.Email, { connection, prefix: options.queuePrefix });
  const activeAt = new Map<string, number>();
  const latencies: number[] = [];
  let firstDone = Infinity;
  let lastDone = 0;
  let failedAttempts = 0;
  events.on('active', ({ jobId }, id) => activeAt.set(jobId, eventMs(id)));
  events.on('completed', ({ jobId }, id) => {
    const at = eventMs(id);
    firstDone = Math.min(firstDone, at);
    lastDone = Math.max(lastDone, at);
    const started = activeAt.get(jobId);
    if (started !== undefined) latencies.push(at - started);
    activeAt.delete(jobId);
  });
  events.on('failed', () => {
    failedAttempts += 1;
  });
  let worker: ServerProcess | undefined;
  try {
    await events.waitUntilReady();
    const port = await freePort();
    const env = {
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      QUEUE_PREFIX: options.queuePrefix,
      SMTP_URL: sink.url,
      WORKER_PORT: String(port),
      APP_BASE_URL: 'http://127.0.0.1:3000',
      TOKEN_SECRET: options.tokenSecret,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      ...options.workerSettings,
    };
    const nodeArgs = [
      ...(options.profileDir
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${options.profileDir}`,
            '--require',
            join(options.dist, 'bench/shared/exit-on-sigusr2.js'),
          ]
        : []),
      ...(options.noNagle ? ['--require', join(options.dist, 'bench/reminders/no-nagle.js')] : []),
    ];
    worker = await startServer({
      name: 'worker',
      script: join(options.dist, 'apps/worker/src/main.js'),
      env,
      port,
      nodeArgs,
      stopSignal: options.profileDir ? 'SIGUSR2' : undefined,
    });
    options.log(
      `Worker: pid ${worker.pid} (node dist/apps/worker/src/main.js, NODE_ENV=production, LOG_LEVEL=info to /dev/null` +
        `${
          Object.keys(options.workerSettings).length
            ? `, ${Object.entries(options.workerSettings)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')}`
            : ''
        }` +
        `${options.profileDir ? `, --cpu-prof into ${options.profileDir}` : ''}` +
        `${options.noNagle ? ', --no-nagle: Nagle turned off on its sockets (diagnosis, not the project as it is)' : ''})`,
    );

    const samples: Sample[] = [];
    let pgTotal = 0;
    let pgLast = new Map<number, number>();
    const sample = async (): Promise<Sample> => {
      const totals = await sink.totals();
      const pg = cpuOf(await backendPids(driver, 'worker'));
      for (const [pid, ms] of pg) pgTotal += ms - (pgLast.get(pid) ?? ms);
      pgLast = pg;
      const host = hostCpu();
      let redisCpu = NaN;
      try {
        if (redisPid !== null) redisCpu = cpuMs(redisPid);
      } catch {
        // not a local process
      }
      return {
        t: performance.now(),
        messages: totals.messages,
        workerCpu: cpuMs(worker!.pid),
        pgCpu: pgTotal,
        sinkCpu: cpuMs(sink.pid),
        redisCpu,
        hostBusy: host.busy,
        hostTotal: host.total,
      };
    };
    let lastProgress = performance.now();
    let lastReport = performance.now();
    for (;;) {
      const s = await sample();
      samples.push(s);
      worker.sampleRss();
      const previous = samples[samples.length - 2];
      if (!previous || s.messages > previous.messages) lastProgress = s.t;
      if (s.t - lastReport >= 5_000) {
        lastReport = s.t;
        options.log(
          `  ${s.messages.toLocaleString('en-GB')} of ${options.expectedEmails.toLocaleString('en-GB')} emails`,
        );
      }
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
      const left = Object.values(counts).reduce((a, b) => a + b, 0);
      if (left === 0) break;
      if (s.t - lastProgress > STALL_MS) {
        throw new Error(`no email delivered for ${STALL_MS / 1000} s (${left} jobs left):\n${worker.stderrTail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
    // The last completion events may still be on their way.
    await new Promise((resolve) => setTimeout(resolve, 500));
    samples.push(await sample());
    const totals = await sink.totals();
    const { rows: log } = await driver.query<{ status: string; notifications: number; emails: number }>(
      `SELECT CASE WHEN n.skip_reason IS NOT NULL THEN 'skipped' ELSE e.status END AS status,
         count(*)::int AS notifications, count(DISTINCT e.id)::int AS emails
       FROM notifications n JOIN emails e ON e.id = n.email_id GROUP BY 1 ORDER BY 1`,
    );
    const sorted = [...latencies].sort((a, b) => a - b);
    const seconds = (lastDone - firstDone) / 1000;
    return {
      worker: { pid: worker.pid, env: options.workerSettings, peakRssMb: worker.peakRssMb },
      total: { emails: totals.messages, seconds, rate: seconds > 0 ? totals.messages / seconds : NaN },
      steady: windowOf(samples),
      latency: { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)! },
      failedAttempts,
      sink: { messages: totals.messages, megabytes: totals.bytes / 1e6, connections: totals.connections },
      log,
      workerStderr: worker.stderrTail(),
    };
  } finally {
    await worker?.stop();
    await events.close();
    await queue.close();
  }
}
