import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { jobIds, QueueName, redisOptions } from '@rt/jobs';
import { SmtpSink, SmtpSinkOptions, testConfig } from '@rt/testing';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { startSystem, SystemHarness } from './system-harness';

/**
 * Delivery never loses or duplicates an email: every test asserts on what a real SMTP server accepted and on the
 * notification log (the table, and GET /api/v1/notifications), through repeats, races, crashes and outages.
 */

const WORKER_MAIN = join(__dirname, '../../dist/apps/worker/src/main.js');

interface LogRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  email_key: string | null;
  sent_at: Date | null;
}

async function logRows(system: SystemHarness, actionId: string): Promise<LogRow[]> {
  const { rows } = await system.api.pool.query(
    // The action's notifications (recorded by the send job before it sends), and emails about it still waiting to
    // be taken (decided by a run, nothing recorded yet). An email that found everything already told is no entry.
    `SELECT n.id, CASE WHEN n.skip_reason IS NOT NULL THEN 'skipped' ELSE e.status END AS status, e.attempts,
       e.last_error, e.message_id, e.email_key, e.sent_at
     FROM notifications n JOIN emails e ON e.id = n.email_id WHERE n.action_id = $1
     UNION ALL
     SELECT e.id, e.status, e.attempts, e.last_error, e.message_id, e.email_key, e.sent_at
     FROM emails e
     WHERE $1 = ANY (e.item_action_ids) AND e.status = 'queued'
       AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.email_id = e.id AND n.action_id = $1)`,
    [actionId],
  );
  return rows;
}

/** The log as the API shows it to an admin, filtered by `query`. */
async function logView(system: SystemHarness, query: string): Promise<Record<string, unknown>[]> {
  const res = await system.api
    .http()
    .get(`/api/v1/notifications?${query}`)
    .set('Authorization', `Bearer ${await system.adminToken()}`)
    .expect(200);
  return res.body.items;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What every worker of this system is started with: its database, Redis prefix, SMTP server and retry timings. */
function workerEnv(system: SystemHarness): Record<string, string> {
  return {
    DATABASE_URL: system.api.database.url,
    REDIS_URL: system.api.config.redisUrl,
    QUEUE_PREFIX: system.api.config.queuePrefix,
    SMTP_URL: system.smtp.url,
    EMAIL_RETRY_DELAY_MS: '100',
    EMAIL_ATTEMPTS: '4',
    JOB_STALLED_INTERVAL_MS: '1000',
  };
}

/** Another worker in this process, as the harness starts its own. */
function startWorkerApp(system: SystemHarness): Promise<NestFastifyApplication> {
  return createWorkerApp(testConfig(workerEnv(system)), { clock: system.clock, schedule: false });
}

/** Deletes every Redis key under this system's prefix (its queues, jobs, schedulers and events): Redis "lost". */
async function flushPrefix(system: SystemHarness): Promise<number> {
  const redis = new IORedis(redisOptions(system.api.config.redisUrl));
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${system.api.config.queuePrefix}*`, 'COUNT', 500);
      if (keys.length) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** The system's email queue, paused before `work` runs: jobs a run enqueues wait in Redis until `work` resumes it. */
async function withEmailQueuePaused(system: SystemHarness, work: (emailQueue: Queue) => Promise<void>): Promise<void> {
  const emailQueue = new Queue(QueueName.Email, {
    connection: redisOptions(system.api.config.redisUrl),
    prefix: system.api.config.queuePrefix,
  });
  try {
    await emailQueue.pause();
    await work(emailQueue);
  } finally {
    await emailQueue.close();
  }
}

describe('email delivery: one email, whatever happens', () => {
  const rejected = new Set<string>();
  let system: SystemHarness;

  beforeAll(async () => {
    system = await startSystem({ smtp: { rejectRecipients: (address) => rejected.has(address) } });
  });
  afterAll(() => system.close());

  it('a sweep run twice sends one email to each recipient, logged sent once', async () => {
    const worlds = [
      await system.api.factories.world({ dueDate: '2026-03-16' }),
      await system.api.factories.world({ dueDate: '2026-03-16' }),
    ];
    await system.runReminders('2026-03-02T07:00:00Z');
    await system.runReminders('2026-03-02T07:00:00Z');

    for (const world of worlds) {
      expect(system.smtp.to(world.manager.email)).toHaveLength(1);
      const rows = await logRows(system, world.action.id);
      expect(rows).toEqual([expect.objectContaining({ status: 'sent', attempts: 1, last_error: null })]);
      expect(await logView(system, `actionId=${world.action.id}`)).toEqual([
        expect.objectContaining({
          status: 'sent',
          kind: 'reminder',
          reason: 'before',
          occurrence: 14,
          recipientId: world.manager.id,
          recipientEmail: world.manager.email,
          attempts: 1,
          lastError: null,
          messageId: system.smtp.to(world.manager.email)[0].messageId,
          sentAt: expect.any(String),
        }),
      ]);
    }
  });

  it('two workers taking two runs at once send one email to each recipient', async () => {
    const worlds = await Promise.all(
      Array.from({ length: 8 }, () => system.api.factories.world({ dueDate: '2026-03-16' })),
    );
    const second = await startWorkerApp(system);
    try {
      await Promise.all([system.runReminders('2026-03-02T07:00:00Z'), system.runReminders('2026-03-02T07:00:00Z')]);
    } finally {
      await second.close();
    }

    for (const world of worlds) {
      expect(system.smtp.to(world.manager.email)).toHaveLength(1);
      expect(await logRows(system, world.action.id)).toEqual([
        expect.objectContaining({ status: 'sent', attempts: 1 }),
      ]);
    }
  });

  it('logs a refused address as failed with the SMTP error, and delivers to the others in the same run', async () => {
    const refused = await system.api.factories.world({ dueDate: '2026-03-16' });
    const fine = await system.api.factories.world({ dueDate: '2026-03-16' });
    rejected.add(refused.manager.email);

    await system.runReminders('2026-03-02T07:00:00Z');

    expect(system.smtp.to(refused.manager.email)).toHaveLength(0);
    expect(system.smtp.to(fine.manager.email)).toHaveLength(1);
    const [failed] = await logView(system, `actionId=${refused.action.id}&status=failed`);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, sentAt: null, recipientId: refused.manager.id });
    expect(failed.lastError).toMatch(/550/);
    expect(failed.lastError).toContain('mailbox unavailable');
    expect(await logRows(system, fine.action.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);

    // A permanent refusal is not retried, by this run or the next.
    await system.runReminders('2026-03-02T07:00:00Z');
    expect(await logRows(system, refused.action.id)).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 1 }),
    ]);
  });

  it('a Redis flushed after a run decided loses nothing: the next run delivers it, once', async () => {
    const world = await system.api.factories.world({ dueDate: '2026-03-16' });
    await withEmailQueuePaused(system, async (emailQueue) => {
      await system.runReminders('2026-03-02T07:00:00Z', { settle: false });
      const [decided] = await logRows(system, world.action.id);
      expect(decided).toMatchObject({ status: 'queued', attempts: 0, email_key: expect.any(String) });
      const jobId = jobIds.email(decided.email_key!);
      expect(await emailQueue.getJob(jobId)).toBeDefined();

      expect(await flushPrefix(system)).toBeGreaterThan(0);
      expect(await emailQueue.getJob(jobId)).toBeUndefined();
      expect(system.smtp.to(world.manager.email)).toHaveLength(0);
    });

    // The next working day's run finds the notification still queued in PostgreSQL and enqueues its email again.
    await system.runReminders('2026-03-03T07:00:00Z');
    expect(system.smtp.to(world.manager.email)).toHaveLength(1);
    await system.runReminders('2026-03-03T07:00:00Z');
    expect(system.smtp.to(world.manager.email)).toHaveLength(1);
    expect(await logRows(system, world.action.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);
  });

  it('thirty emails taken at once, their records written several to a statement: each lists only its own recipient’s actions', async () => {
    const people = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const world = await system.api.factories.world({ dueDate: '2026-03-16' });
        const second = await system.api.factories.action({
          recommendationId: world.recommendation.id,
          ownerId: world.manager.id,
          dueDate: '2026-03-05',
        });
        return { manager: world.manager, actionIds: [second.id, world.action.id] };
      }),
    );
    // Held until all thirty are waiting, so the worker takes them at its full concurrency and their statements batch.
    await withEmailQueuePaused(system, async (emailQueue) => {
      await system.runReminders('2026-03-02T07:00:00Z', { settle: false });
      expect(await emailQueue.getWaitingCount()).toBeGreaterThanOrEqual(30);
      await emailQueue.resume();
      await system.settle();
    });

    const everyAction = people.flatMap((person) => person.actionIds);
    for (const person of people) {
      const received = system.smtp.to(person.manager.email);
      expect(received).toHaveLength(1);
      const linked = everyAction.filter((id) => received[0].text.includes(`/actions/${id}`));
      // Their own two, the one due in 3 days first; nobody else's.
      expect(linked).toEqual(person.actionIds);
      expect(received[0].text.indexOf(person.actionIds[0])).toBeLessThan(received[0].text.indexOf(person.actionIds[1]));
      for (const actionId of person.actionIds) {
        expect(await logRows(system, actionId)).toEqual([
          expect.objectContaining({ status: 'sent', attempts: 1, message_id: received[0].messageId }),
        ]);
      }
    }
  });
});

describe('email delivery while the SMTP server is down', () => {
  let system: SystemHarness;
  let port: number;
  let returned: SmtpSink | undefined;

  beforeAll(async () => {
    port = await freePort();
    system = await startSystem({
      env: { SMTP_URL: `smtp://127.0.0.1:${port}`, EMAIL_ATTEMPTS: '10', EMAIL_RETRY_DELAY_MS: '200' },
    });
  });
  afterAll(async () => {
    // The worker's pooled connection goes first, or the server waits for it on stop.
    await system.close();
    await returned?.stop();
  });

  it('records each failed attempt with its error, then delivers once when the server is back', async () => {
    const world = await system.api.factories.world({ dueDate: '2026-03-16' });
    await system.runReminders('2026-03-02T07:00:00Z', { settle: false });

    const [retrying] = await until('two failed attempts', async () => {
      const rows = await logRows(system, world.action.id);
      return rows[0]?.attempts >= 2 ? rows : undefined;
    });
    expect(retrying).toMatchObject({ status: 'queued', sent_at: null });
    expect(retrying.last_error).toContain('ECONNREFUSED');
    const [shown] = await logView(system, `actionId=${world.action.id}&status=queued`);
    expect(shown).toMatchObject({ attempts: expect.any(Number), lastError: expect.stringContaining('ECONNREFUSED') });

    returned = await new SmtpSink({ port }).start();
    await returned.waitFor(1);
    await system.settle();

    expect(returned.to(world.manager.email)).toHaveLength(1);
    expect(returned.received).toHaveLength(1);
    const [sent] = await logRows(system, world.action.id);
    expect(sent).toMatchObject({ status: 'sent', last_error: null, message_id: returned.received[0].messageId });
    expect(sent.attempts).toBeGreaterThanOrEqual(3);
  });
});

/** The built worker (npm run build) as its own process, on this system's database, Redis prefix and SMTP server. */
class WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output = '';

  constructor(system: SystemHarness) {
    this.child = spawn(process.execPath, [WORKER_MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        ...workerEnv(system),
        WORKER_PORT: '0',
        LOG_LEVEL: 'warn',
        TOKEN_SECRET: 'test-token-secret-that-is-long-enough-0123456789',
        APP_BASE_URL: 'http://tracker.test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async ready(): Promise<this> {
    await until(`the worker to start; its output so far:\n${this.output}`, () => {
      if (!this.running) throw new Error(`the worker exited: ${this.output}`);
      return this.output.includes('worker running');
    });
    return this;
  }

  async stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }
}

describe('a worker process that dies or is stopped mid-send', () => {
  // Read on every message: a test holds messages (to catch a worker mid-send) or lets them straight through.
  const smtp: SmtpSinkOptions = {};
  const workers: WorkerProcess[] = [];
  const apps: NestFastifyApplication[] = [];
  let system: SystemHarness;
  /** A worker process to kill or stop. */
  const spawnWorker = () => {
    const worker = new WorkerProcess(system);
    workers.push(worker);
    return worker.ready();
  };
  /** The worker that takes over (in this process: it starts in a fraction of the time). */
  const nextWorker = async () => {
    apps.push(await startWorkerApp(system));
  };
  // Far from today's real date, so the spawned workers' own quarter-hourly runs never touch these actions.
  const asOf = '2031-03-03T07:00:00Z';
  const dueDate = '2031-03-17';

  beforeAll(async () => {
    if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: run npm run build first`);
    system = await startSystem({ worker: false, smtp });
  });
  // Each test starts the workers it needs: none is left to take the next test's jobs.
  afterEach(async () => {
    await Promise.all([...workers.map((w) => w.stop('SIGTERM')), ...apps.splice(0).map((app) => app.close())]);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await system.close();
  });

  it('killed with SIGKILL while the server holds its message: retried by another worker, delivered and logged once', async () => {
    const events = new QueueEvents(QueueName.Email, {
      connection: redisOptions(system.api.config.redisUrl),
      prefix: system.api.config.queuePrefix,
    });
    const stalled: string[] = [];
    events.on('stalled', ({ jobId }) => stalled.push(jobId));
    try {
      await events.waitUntilReady();
      smtp.acceptDelayMs = 1_000;
      const first = await spawnWorker();
      const world = await system.api.factories.world({ dueDate });
      await system.runReminders(asOf, { settle: false });
      await until('the server to hold the message', () => system.smtp.holding === 1);

      await first.stop('SIGKILL');
      const [decided] = await logRows(system, world.action.id);
      expect(decided).toMatchObject({ status: 'queued', attempts: 0 });

      smtp.acceptDelayMs = 0;
      await nextWorker();
      await system.smtp.waitFor(1);
      await system.settle();
      // The killed worker's message is answered (refused: its sender has gone) when the server stops holding it.
      await until('the held message to be answered', () => system.smtp.holding === 0);

      expect(system.smtp.received).toHaveLength(1);
      expect(system.smtp.to(world.manager.email)).toHaveLength(1);
      expect(stalled).toContain(jobIds.email(decided.email_key!));
      expect(await logRows(system, world.action.id)).toEqual([
        expect.objectContaining({
          status: 'sent',
          attempts: 1,
          last_error: null,
          message_id: system.smtp.received[0].messageId,
        }),
      ]);
      expect(await logView(system, `actionId=${world.action.id}&status=sent`)).toHaveLength(1);
    } finally {
      await events.close();
    }
  }, 20_000);

  it('killed mid-send twice, so that BullMQ gives the job up: the next run still delivers it, once', async () => {
    const events = new QueueEvents(QueueName.Email, {
      connection: redisOptions(system.api.config.redisUrl),
      prefix: system.api.config.queuePrefix,
    });
    const failed: string[] = [];
    events.on('failed', ({ jobId }) => failed.push(jobId));
    try {
      await events.waitUntilReady();
      smtp.acceptDelayMs = 1_000;
      const first = await spawnWorker();
      const world = await system.api.factories.world({ dueDate });
      const before = system.smtp.received.length;
      await system.runReminders(asOf, { settle: false });
      await until('the server to hold the message', () => system.smtp.holding === 1);
      await first.stop('SIGKILL');
      await until('the held message to be answered', () => system.smtp.holding === 0);

      const second = await spawnWorker();
      await until('the server to hold the retried message', () => system.smtp.holding === 1);
      await second.stop('SIGKILL');

      smtp.acceptDelayMs = 0;
      await nextWorker();
      const [decided] = await logRows(system, world.action.id);
      // Stalled once more than allowed: BullMQ fails the job without it ever reaching the processor.
      await until('the job to be given up', () => failed.includes(jobIds.email(decided.email_key!)));
      expect(await logRows(system, world.action.id)).toEqual([expect.objectContaining({ status: 'queued' })]);
      expect(system.smtp.received).toHaveLength(before);

      await system.runReminders('2031-03-04T07:00:00Z');
      await until('the held messages to be answered', () => system.smtp.holding === 0);
      expect(system.smtp.to(world.manager.email)).toHaveLength(1);
      expect(system.smtp.received).toHaveLength(before + 1);
      expect(await logRows(system, world.action.id)).toEqual([
        expect.objectContaining({ status: 'sent', attempts: 1 }),
      ]);
    } finally {
      await events.close();
    }
  }, 30_000);

  it('stopped with SIGTERM mid-send: what it started arrives and is logged before it exits; the next worker sends the rest, once each', async () => {
    smtp.acceptDelayMs = 300;
    const worker = await spawnWorker();
    const worlds = await Promise.all(Array.from({ length: 30 }, () => system.api.factories.world({ dueDate })));
    const before = system.smtp.received.length;
    const connectionsBefore = system.smtp.connections;
    await system.runReminders(asOf, { settle: false });
    await until('the server to hold messages', () => system.smtp.holding >= 3);

    const held = system.smtp.holding;
    const arrived = system.smtp.received.length;
    const stopping = Date.now();
    const exit = await worker.stop('SIGTERM');
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    // The messages the server was holding when the signal came were sent in full (a sender gone before the 250
    // would have had them refused), and every message that went is logged sent.
    expect(system.smtp.received.length).toBeGreaterThanOrEqual(arrived + held);
    const actionIds = worlds.map((w) => w.action.id);
    const { rows } = await system.api.pool.query(
      `SELECT count(*)::int AS sent FROM notifications n JOIN emails e ON e.id = n.email_id
       WHERE n.action_id = ANY($1::uuid[]) AND e.status = 'sent' AND n.skip_reason IS NULL`,
      [actionIds],
    );
    expect(rows[0].sent).toBe(system.smtp.received.length - before);

    smtp.acceptDelayMs = 0;
    await nextWorker();
    await system.smtp.waitFor(before + worlds.length);
    await system.settle();

    expect(system.smtp.received).toHaveLength(before + worlds.length);
    // Each worker sends over its pool of SMTP_MAX_CONNECTIONS (5) connections, not one connection per message.
    expect(system.smtp.connections - connectionsBefore).toBeLessThanOrEqual(10);
    for (const world of worlds) {
      expect(system.smtp.to(world.manager.email)).toHaveLength(1);
      // Nothing the stopping worker had started was cut off: no attempt failed.
      expect(await logRows(system, world.action.id)).toEqual([
        expect.objectContaining({ status: 'sent', attempts: 1, last_error: null }),
      ]);
    }
  }, 30_000);
});
