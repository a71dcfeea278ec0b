import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Job, JobType, Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DomainEventJobData, jobIds, QueueName, redisOptions } from '@rt/jobs';
import { testConfig } from '@rt/testing';
// The relay is proven with changes made as users make them, over the API; only this test crosses the apps.
// eslint-disable-next-line no-restricted-imports
import { ApiHarness, startApi } from '../../api/test/api-harness';
import { RedisServer, startWorker, waitFor, WorkerHarness } from './worker-harness';

const HOOK_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 60_000;
/** A change is a PostgreSQL transaction; anything near this long means a request waited on Redis. */
const NO_WAIT_MS = 2_500;
const JOB_STATES: JobType[] = ['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized', 'paused'];

interface OutboxRow {
  id: number;
  event_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  sent_at: Date | null;
}

/**
 * The relay's promise, end to end: changes made through the API reach BullMQ once each, in order per action,
 * whether or not Redis is up when they are made; the API never waits for Redis.
 */
describe('outbox relay', () => {
  const prefix = `{rt-relay-${randomBytes(4).toString('hex')}}`;
  let redis: RedisServer;
  let api: ApiHarness;
  const workers: WorkerHarness[] = [];
  let queue: Queue<DomainEventJobData>;
  let world: Awaited<ReturnType<ApiHarness['factories']['world']>>;
  let token: string;
  let errorLog: jest.SpyInstance;
  let warnLog: jest.SpyInstance;
  let consoleWarn: jest.SpyInstance;

  const startWorkerApp = async () => {
    const worker = await startWorker(
      testConfig({ DATABASE_URL: api.database.url, REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', QUEUE_PREFIX: prefix }),
    );
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    // The worker logs through Nest's Logger (pino underneath, silent in tests): spy on what it says.
    errorLog = jest.spyOn(Logger.prototype, 'error');
    warnLog = jest.spyOn(Logger.prototype, 'warn');
    // BullMQ adds its own console warning about the eviction policy; this test asserts the worker's instead.
    const warn = console.warn.bind(console);
    consoleWarn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).includes('Eviction policy')) warn(...args);
    });
    redis = await RedisServer.start({ maxmemoryPolicy: 'allkeys-lru' });
    api = await startApi({ env: { REDIS_URL: redis.url } });
    world = await api.factories.world({ dueDate: '2030-01-31' });
    token = await api.tokenFor(world.manager);
    queue = new Queue(QueueName.DomainEvents, { connection: redisOptions(redis.url), prefix });
    queue.on('error', () => undefined); // it reconnects by itself while the test has Redis stopped
    await startWorkerApp();
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    for (const worker of workers) await worker.close().catch(() => undefined);
    if (redis?.running) await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close().catch(() => undefined);
    await api?.close();
    await redis?.stop('SIGTERM');
    errorLog?.mockRestore();
    warnLog?.mockRestore();
    consoleWarn?.mockRestore();
  }, HOOK_TIMEOUT_MS);

  const auth = () => ({ Authorization: `Bearer ${token}` });

  async function createAction(title: string): Promise<string> {
    const res = await api
      .http()
      .post(`/api/v1/recommendations/${world.recommendation.id}/actions`)
      .set(auth())
      .send({ title, ownerId: world.manager.id, dueDate: '2030-06-30' });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** One PATCH with the current ETag; answers how long the change itself took. */
  async function change(actionId: string, body: Record<string, unknown>): Promise<number> {
    const current = await api.http().get(`/api/v1/actions/${actionId}`).set(auth()).expect(200);
    const started = Date.now();
    const res = await api
      .http()
      .patch(`/api/v1/actions/${actionId}`)
      .set(auth())
      .set('If-Match', current.headers.etag)
      .send(body);
    const took = Date.now() - started;
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    return took;
  }

  /** A realistic run of changes: started, progress, a new date (with its reason), completed. */
  async function workThrough(actionId: string): Promise<number[]> {
    const took: number[] = [];
    took.push(await change(actionId, { status: 'in_progress', progress: 20 }));
    took.push(await change(actionId, { progress: 45, comment: 'Training booked' }));
    took.push(await change(actionId, { dueDate: '2030-09-30', comment: 'Trainer unavailable until September' }));
    took.push(await change(actionId, { status: 'completed', comment: 'All staff trained' }));
    return took;
  }

  async function outbox(afterId = 0): Promise<OutboxRow[]> {
    const { rows } = await api.pool.query(
      `SELECT id, event_type, aggregate_id, payload, sent_at FROM outbox WHERE id > $1 ORDER BY id`,
      [afterId],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  const lastOutboxId = async () => (await outbox()).reduce((max, r) => Math.max(max, r.id), 0);

  const allSent = (afterId: number) =>
    waitFor(`every outbox row after ${afterId} to be marked sent`, async () => {
      const rows = await outbox(afterId);
      return rows.length > 0 && rows.every((r) => r.sent_at !== null) && rows;
    });

  async function jobsInQueue(): Promise<Job<DomainEventJobData>[]> {
    return (await queue.getJobs(JOB_STATES)).filter((job): job is Job<DomainEventJobData> => Boolean(job));
  }

  const allProcessed = (count: number) =>
    waitFor(`${count} jobs to be processed`, async () => {
      const jobs = await jobsInQueue();
      return jobs.length >= count && jobs.every((j) => j.finishedOn !== undefined && !j.failedReason) && jobs;
    });

  /** BullMQ's event stream for the queue, oldest first: which jobs were added (or refused as duplicates). */
  async function queueEvents(): Promise<{ event: string; jobId: string }[]> {
    const client = new IORedis(redisOptions(redis.url));
    try {
      const entries = await client.xrange(queue.keys.events, '-', '+');
      return entries.map(([, fields]) => {
        const record: Record<string, string> = {};
        for (let i = 0; i < fields.length; i += 2) record[fields[i]] = fields[i + 1];
        return { event: record.event, jobId: record.jobId };
      });
    } finally {
      client.disconnect();
    }
  }

  /** Each row became one job: its id, name and data are the row's. */
  function expectJobsFor(rows: OutboxRow[], jobs: Job<DomainEventJobData>[]) {
    const byId = new Map(jobs.map((j) => [j.id, j]));
    for (const row of rows) {
      const job = byId.get(jobIds.outboxEvent(row.id));
      expect(job).toBeDefined();
      expect(job!.id).toBe(`outbox-${row.id}`);
      expect(job!.name).toBe(row.event_type);
      expect(job!.data).toMatchObject({
        outboxId: row.id,
        type: row.event_type,
        aggregateId: row.aggregate_id,
        payload: row.payload,
      });
    }
  }

  /** In the order BullMQ received them, each action's events come in outbox id order, each added once. */
  async function expectAddedOnceInOrder(rows: OutboxRow[]) {
    const events = await queueEvents();
    const rowOf = new Map(rows.map((r) => [jobIds.outboxEvent(r.id), r]));
    const added = events.filter((e) => e.event === 'added' && rowOf.has(e.jobId)).map((e) => rowOf.get(e.jobId)!);
    expect(added.map((r) => r.id).sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
    expect(events.filter((e) => e.event === 'duplicated' && rowOf.has(e.jobId))).toEqual([]);
    const perAction = new Map<string, number[]>();
    for (const row of added) perAction.set(row.aggregate_id, [...(perAction.get(row.aggregate_id) ?? []), row.id]);
    for (const ids of perAction.values()) expect(ids).toEqual([...ids].sort((a, b) => a - b));
  }

  it(
    'warns loudly at start when Redis may evict queue keys',
    async () => {
      const messages = errorLog.mock.calls.map((call) => String(call[0]));
      expect(messages).toEqual(
        expect.arrayContaining([expect.stringContaining('Redis maxmemory-policy is "allkeys-lru"')]),
      );
      expect(messages.find((m) => m.includes('maxmemory-policy'))).toContain('Set maxmemory-policy noeviction');
    },
    TEST_TIMEOUT_MS,
  );

  let beforeOutage: OutboxRow[];

  it(
    'relays each change to a BullMQ job named after its event while Redis is up',
    async () => {
      const actionId = await createAction('Deliver risk of harm training');
      await workThrough(actionId);
      await change(world.action.id, { status: 'in_progress', progress: 10 });

      beforeOutage = await allSent(0);
      expect(beforeOutage.map((r) => r.event_type)).toEqual([
        'action-created',
        'action-changed',
        'action-changed',
        'action-changed',
        'action-due-date-moved',
        'action-changed',
        'action-completed',
        'action-changed',
      ]);
      const jobs = await allProcessed(beforeOutage.length);
      expect(jobs.map((j) => j.id).sort()).toEqual(beforeOutage.map((r) => `outbox-${r.id}`).sort());
      expectJobsFor(beforeOutage, jobs);
      await expectAddedOnceInOrder(beforeOutage);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'is ready while Redis answers',
    async () => {
      const res = await workers[0].http().get('/health/ready').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' }, database: { status: 'up' } } });
    },
    TEST_TIMEOUT_MS,
  );

  let duringOutage: OutboxRow[];
  let outageActions: string[];

  it(
    'keeps accepting changes while Redis is down, holding their events unsent',
    async () => {
      const lastId = await lastOutboxId();
      const warningsBefore = warnLog.mock.calls.length;
      await redis.stop();

      const created = Date.now();
      outageActions = [await createAction('Review home visit practice'), await createAction('Audit MAPPA checks')];
      expect(Date.now() - created).toBeLessThan(2 * NO_WAIT_MS);
      const took = [
        ...(await workThrough(outageActions[0])),
        ...(await workThrough(outageActions[1])),
        await change(world.action.id, { progress: 30, comment: 'Checks started' }),
      ];
      expect(Math.max(...took)).toBeLessThan(NO_WAIT_MS);

      // The relay tried, failed, and said so; the rows wait for Redis.
      await waitFor('the relay to report that it cannot publish', async () =>
        warnLog.mock.calls
          .slice(warningsBefore)
          .some((call) => call.some((arg: unknown) => String(arg).includes('Outbox relay cannot publish'))),
      );
      duringOutage = await outbox(lastId);
      expect(duringOutage).toHaveLength(2 + 2 * 6 + 1);
      expect(duringOutage.filter((r) => r.sent_at !== null)).toEqual([]);
      expect((await outbox()).filter((r) => r.id <= lastId && r.sent_at === null)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'answers 503 on readiness while Redis is down',
    async () => {
      const res = await workers[0].http().get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
      expect(res.body.info).toMatchObject({ database: { status: 'up' } });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'drains the backlog when Redis returns: every held event arrives exactly once, in order per action',
    async () => {
      // The same port, now with the policy BullMQ asks for. It comes back empty: nothing was persisted.
      await redis.start({ maxmemoryPolicy: 'noeviction' });

      const sent = await allSent(beforeOutage[beforeOutage.length - 1].id);
      expect(sent.map((r) => r.id)).toEqual(duringOutage.map((r) => r.id));
      const jobs = await allProcessed(duringOutage.length);
      // Only the held events: nothing relayed before the outage was published again.
      expect(jobs.map((j) => j.id).sort()).toEqual(duringOutage.map((r) => `outbox-${r.id}`).sort());
      expectJobsFor(duringOutage, jobs);
      await expectAddedOnceInOrder(duringOutage);
      expect(jobs.every((j) => j.attemptsMade === 1)).toBe(true);
      expect(await outbox().then((rows) => rows.filter((r) => r.sent_at === null))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'is ready again once Redis is back',
    async () => {
      await waitFor('the worker to report ready', async () => {
        const res = await workers[0].http().get('/health/ready');
        return res.status === 200 && res.body.info?.redis?.status === 'up';
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'with two workers running, relays each row once',
    async () => {
      const errorsBefore = errorLog.mock.calls.length;
      await startWorkerApp();
      // Redis now evicts nothing, so the second worker starts without the warning.
      expect(
        errorLog.mock.calls.slice(errorsBefore).filter((call) => String(call[0]).includes('maxmemory-policy')),
      ).toEqual([]);

      const lastId = await lastOutboxId();
      const actions = await Promise.all(Array.from({ length: 6 }, (_, i) => createAction(`Parallel action ${i + 1}`)));
      await Promise.all(actions.map((id) => workThrough(id)));

      const rows = await allSent(lastId);
      expect(rows).toHaveLength(6 * 7);
      const jobs = (await allProcessed(duringOutage.length + rows.length)).filter((j) => j.data.outboxId > lastId);
      expect(jobs.map((j) => j.id).sort()).toEqual(rows.map((r) => `outbox-${r.id}`).sort());
      expectJobsFor(rows, jobs);
      await expectAddedOnceInOrder(rows);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'starts while Redis is down, and relays once Redis appears',
    async () => {
      for (const worker of workers.splice(0)) await worker.close();
      await redis.stop();
      const warningsBefore = warnLog.mock.calls.length;
      const lastId = await lastOutboxId();

      const worker = await startWorkerApp();
      const warnings = () => warnLog.mock.calls.slice(warningsBefore).map((call) => String(call[0]));
      expect(warnings()).toEqual(
        expect.arrayContaining([expect.stringContaining('Could not read Redis maxmemory-policy')]),
      );
      await worker.http().get('/health/ready').expect(503);
      await change(world.action.id, { progress: 40, comment: 'Half the checks done' });
      await waitFor('the relay to report that it cannot publish', async () =>
        warnLog.mock.calls
          .slice(warningsBefore)
          .some((call) => call.some((arg: unknown) => String(arg).includes('Outbox relay cannot publish'))),
      );

      await redis.start();
      const rows = await allSent(lastId);
      expect(rows.map((r) => r.event_type)).toEqual(['action-changed']);
      // A publish that timed out while Redis was away may land as well; the deterministic job id makes it one job.
      const jobs = await allProcessed(rows.length);
      expect(jobs.map((j) => j.id)).toEqual([`outbox-${rows[0].id}`]);
      expectJobsFor(rows, jobs);
      await waitFor('the worker to report ready', async () => (await worker.http().get('/health/ready')).ok);
    },
    TEST_TIMEOUT_MS,
  );
});
