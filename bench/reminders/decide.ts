import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigModule } from '@rt/config';
import { dataSourceOptions } from '@rt/database';
import {
  ClockModule,
  DomainModule,
  IsoDate,
  mondayOf,
  ReminderRunResult,
  ReminderRunService,
  WorkingCalendar,
} from '@rt/domain';
// The bench times the worker's own enqueue code, so it imports it rather than copying it.
// eslint-disable-next-line no-restricted-imports
import { EmailQueue } from '../../apps/worker/src/delivery/email-queue';
import { backendPids, cpuDelta, cpuOf } from '../shared/pg-cpu';
import { cpuMs } from '../shared/processes';
import { CapturedStatement, PgWaitMeter, TimedStatement } from './pg-wait-meter';

/** The application name of the bench's own Nest context on PostgreSQL (to find its backends). */
const APPLICATION_NAME = 'bench-reminders';

/**
 * What the worker's `run` job needs in-process: config, clock, the database (the worker's own data source options;
 * `statementTimeoutMs` replaces their statement timeout when given), the domain, and the email producer.
 */
@Module({})
class BenchRemindersModule {
  static forRoot(config: AppConfig, statementTimeoutMs?: number): DynamicModule {
    const options = dataSourceOptions({ url: config.databaseUrl, poolSize: 2, applicationName: APPLICATION_NAME });
    if (statementTimeoutMs !== undefined) options.extra.statement_timeout = statementTimeoutMs;
    return {
      module: BenchRemindersModule,
      imports: [ConfigModule.forRoot(config), ClockModule.forRoot(), TypeOrmModule.forRoot(options), DomainModule],
      providers: [EmailQueue],
    };
  }
}

/** The statement timeout every process of the project runs with (libs/database), in ms. */
export const PROJECT_STATEMENT_TIMEOUT_MS = dataSourceOptions({ url: 'postgres://x' }).extra.statement_timeout;

export interface KindCount {
  kind: string;
  notifications: number;
  recipients: number;
  actions: number;
}

export interface DecideMeasurement {
  runDate: IsoDate;
  windowStart: IsoDate;
  result: ReminderRunResult;
  decideMs: number;
  enqueueMs: number;
  /** Node CPU (process.cpuUsage: user + system, all threads) of this process during each phase. */
  decideNodeCpuMs: number;
  enqueueNodeCpuMs: number;
  /** Time this process's event loop (its one JavaScript thread) was busy in each phase (eventLoopUtilization). */
  decideNodeBusyMs: number;
  enqueueNodeBusyMs: number;
  /** Wall time with a PostgreSQL statement outstanding during decide, and how many statements. */
  pgWaitMs: number;
  pgStatements: number;
  /** Each statement of the run with its wall time, longest first. */
  statementTimes: TimedStatement[];
  /** CPU of this process's PostgreSQL backends during decide (/proc). */
  pgBackendCpuMs: number;
  /** CPU of redis-server during enqueue (/proc), or null if it is not a local process. */
  redisCpuMs: number | null;
  byKind: KindCount[];
  recipients: number;
  /** The decide statement as sent (the one that finds due actions and writes notifications). */
  decideStatement: CapturedStatement | null;
}

/**
 * Decide + enqueue's wall time and Node's part of it. `busyShare` is the target's measure: the share of the time in
 * which Node's event loop was at work. `cpuShare` is Node's CPU on all threads over the same time; it also counts V8's
 * garbage-collector and compiler threads, which work beside the event loop (on the other core), so it is not a share
 * of the time.
 */
export function nodeShares(m: DecideMeasurement): {
  totalMs: number;
  busyMs: number;
  cpuMs: number;
  busyShare: number;
  cpuShare: number;
} {
  const totalMs = m.decideMs + m.enqueueMs;
  const busyMs = m.decideNodeBusyMs + m.enqueueNodeBusyMs;
  const cpuMs = m.decideNodeCpuMs + m.enqueueNodeCpuMs;
  return { totalMs, busyMs, cpuMs, busyShare: busyMs / totalMs, cpuShare: cpuMs / totalMs };
}

/** The run itself failed (e.g. hit the statement timeout) after `elapsedMs`. */
export class DecideFailed extends Error {
  constructor(
    readonly elapsedMs: number,
    readonly failure: Error,
  ) {
    super(`the reminder run failed after ${(elapsedMs / 1000).toFixed(1)} s: ${failure.message}`);
  }
}

const cpuNow = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

function redisCpu(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    return cpuMs(pid);
  } catch {
    return null;
  }
}

/**
 * The run date for the bench: the given date, or the first working day of this week (Monday to Sunday), whichever day
 * the bench runs on. That is the week's heaviest run, the one the targets are about: the weekend rolls into it and
 * reminders go to the people who take them weekly. (A Tuesday's run has about a third of its items, in emails of
 * about a third of the size.)
 */
export function benchRunDate(today: IsoDate, override?: string): { runDate: IsoDate; windowStart: IsoDate } {
  const calendar = new WorkingCalendar();
  const runDate = override ?? calendar.nextWorkingDayFrom(mondayOf(today));
  if (!calendar.isWorkingDay(runDate)) throw new Error(`${runDate} is not a working day`);
  return { runDate, windowStart: calendar.previousWorkingDay(runDate) };
}

/**
 * One reminder run as the worker's `run` job does it (ReminderRunService.run, then EmailQueue.enqueue), in this
 * process through a Nest application context on the bench database, timed phase by phase.
 */
export async function decideAndEnqueue(options: {
  config: AppConfig;
  runDate: IsoDate;
  windowStart: IsoDate;
  asOf: Date;
  driver: Pool;
  redisPid: number | null;
  /** Replaces the project's statement timeout (0: none). */
  statementTimeoutMs?: number;
}): Promise<DecideMeasurement> {
  const { config, runDate, windowStart, asOf, driver, redisPid } = options;
  const app = await NestFactory.createApplicationContext(
    BenchRemindersModule.forRoot(config, options.statementTimeoutMs),
    {
      logger: ['error', 'warn'],
    },
  );
  const meter = new PgWaitMeter((sql) => sql.includes('INSERT INTO emails') && sql.includes('unnest('));
  meter.install();
  try {
    const runs = app.get(ReminderRunService);
    const emails = app.get(EmailQueue);
    const db = app.get<DataSource>(getDataSourceToken());
    // Open both pool connections first, so their backends exist (and are measured) from the start.
    await Promise.all([db.query('SELECT 1'), db.query('SELECT 1')]);
    const pids = await backendPids(driver, APPLICATION_NAME);
    (globalThis as { gc?: () => void }).gc?.();

    const pg0 = cpuOf(pids);
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = cpuNow();
    const t0 = performance.now();
    meter.start();
    let result: ReminderRunResult;
    try {
      result = await runs.run({ asOf, trigger: 'manual', runKey: `bench-${runDate}` });
    } catch (error) {
      throw new DecideFailed(performance.now() - t0, error as Error);
    } finally {
      meter.stop();
    }
    const t1 = performance.now();
    const cpu1 = cpuNow();
    const elu1 = performance.eventLoopUtilization();
    const pgBackendCpuMs = cpuDelta(pg0, cpuOf(pids));
    const redis0 = redisCpu(redisPid);
    await emails.enqueue(result.emailKeys);
    const t2 = performance.now();
    const cpu2 = cpuNow();
    const elu2 = performance.eventLoopUtilization();
    const redis1 = redisCpu(redisPid);

    if (result.status !== 'completed') throw new Error(`the run was ${result.status}: ${result.note ?? ''}`);
    const { rows: byKind } = await driver.query<KindCount>(
      `SELECT CASE WHEN i.reason = 'escalation' THEN 'escalation' ELSE 'reminder' END AS kind,
         count(*)::int AS notifications, count(DISTINCT e.recipient_id)::int AS recipients,
         count(DISTINCT i.action_id)::int AS actions
       FROM emails e CROSS JOIN LATERAL unnest(e.item_action_ids, e.item_reasons) AS i(action_id, reason)
       WHERE e.run_id = $1 GROUP BY 1 ORDER BY 1 DESC`,
      [result.runId],
    );
    const { rows: recipients } = await driver.query<{ n: number }>(
      `SELECT count(DISTINCT recipient_id)::int AS n FROM emails WHERE run_id = $1`,
      [result.runId],
    );
    return {
      runDate,
      windowStart,
      result,
      decideMs: t1 - t0,
      enqueueMs: t2 - t1,
      decideNodeCpuMs: cpu1 - cpu0,
      enqueueNodeCpuMs: cpu2 - cpu1,
      decideNodeBusyMs: elu1.active - elu0.active,
      enqueueNodeBusyMs: elu2.active - elu1.active,
      pgWaitMs: meter.waitMs,
      pgStatements: meter.statements,
      statementTimes: [...meter.timed].sort((a, b) => b.ms - a.ms),
      pgBackendCpuMs,
      redisCpuMs: redis0 !== null && redis1 !== null ? redis1 - redis0 : null,
      byKind,
      recipients: recipients[0].n,
      decideStatement: meter.captured[0] ?? null,
    };
  } finally {
    meter.uninstall();
    await app.close();
  }
}

export interface PlanReport {
  lines: string[];
  usesOpenDueIndex: boolean;
  seqScanOnActions: boolean;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the decide statement exactly as the run sent it, in a transaction that is rolled
 * back. Run after the timed run, so every row it finds is already recorded (ON CONFLICT DO NOTHING): the plan
 * and the reads are the run's, the writes are not repeated.
 */
export async function explainDecide(driver: Pool, statement: CapturedStatement): Promise<PlanReport> {
  const client = await driver.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`,
      statement.params,
    );
    await client.query('ROLLBACK');
    const lines = rows.map((r) => r['QUERY PLAN']);
    return {
      lines,
      usesOpenDueIndex: lines.some((l) => /Index (Only )?Scan using actions_open_due_idx on actions/.test(l)),
      seqScanOnActions: lines.some((l) => /Seq Scan on actions\b/.test(l)),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
