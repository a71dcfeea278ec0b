import { Queue } from 'bullmq';
import { QueueName, redisOptions } from '@rt/jobs';
import { testConfig } from '@rt/testing';
import { RemindersProcessor } from '../../apps/worker/src/processors/reminders.processor';
import { RollupsProcessor } from '../../apps/worker/src/processors/rollups.processor';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { startSystem, SystemHarness } from './system-harness';

/**
 * The quarter-hourly tick: each group of organisations is run once its send time has come on a working day,
 * and a day missed while the worker was down is caught up on the next tick.
 */
describe('scheduled reminder runs', () => {
  let system: SystemHarness;
  let tick: () => Promise<{ runs: string[] }>;

  beforeAll(async () => {
    system = await startSystem({ today: '2026-03-02' });
    tick = () => system.worker.get(RemindersProcessor).tick();
  });
  afterAll(() => system.close());

  const at = async (instant: string) => {
    system.clock.set(new Date(instant));
    const result = await tick();
    await system.settle();
    return result.runs;
  };

  it('runs each organisation at its send time, once a day, on working days only', async () => {
    const early = await system.api.factories.world({ dueDate: '2026-03-16' });
    const late = await system.api.factories.world({ dueDate: '2026-03-16' });
    const token = await system.adminToken();
    await system.api
      .http()
      .patch(`/api/v1/organisations/${late.organisation.id}/reminder-settings`)
      .set('Authorization', `Bearer ${token}`)
      .set('If-Match', '"0"')
      .send({ sendTime: '09:30' })
      .expect(200);

    // Monday 2 March 2026, GMT: London time equals UTC.
    expect(await at('2026-03-02T06:45:00Z')).toEqual([]);
    expect(system.smtp.received).toHaveLength(0);

    expect(await at('2026-03-02T07:00:00Z')).toEqual(['2026-03-02T0700']);
    expect(system.smtp.to(early.manager.email)).toHaveLength(1);
    expect(system.smtp.to(late.manager.email)).toHaveLength(0);

    expect(await at('2026-03-02T07:15:00Z')).toEqual([]);
    expect(await at('2026-03-02T09:30:00Z')).toEqual(['2026-03-02T0930']);
    expect(system.smtp.to(late.manager.email)).toHaveLength(1);
    expect(await at('2026-03-02T09:45:00Z')).toEqual([]);
  });

  it('catches up working days the worker missed, and runs nothing for the weekend itself', async () => {
    // The worker was down from Monday evening until Saturday: its first tick runs Tuesday to Friday.
    expect(await at('2026-03-07T07:00:00Z')).toEqual([
      '2026-03-03T0700',
      '2026-03-03T0930',
      '2026-03-04T0700',
      '2026-03-04T0930',
      '2026-03-05T0700',
      '2026-03-05T0930',
      '2026-03-06T0700',
      '2026-03-06T0930',
    ]);
    expect(await at('2026-03-08T07:00:00Z')).toEqual([]);
  });

  it('keeps to London time across the change to summer time', async () => {
    // Monday 30 March 2026 is in BST: 07:00 in London is 06:00 UTC.
    expect(await at('2026-03-30T05:45:00Z')).not.toContain('2026-03-30T0700');
    expect(await at('2026-03-30T06:00:00Z')).toContain('2026-03-30T0700');
  });
});

/** The worker registers BullMQ's job schedulers for every recurring job when it starts. */
describe('job schedules', () => {
  it('are registered on boot (reminder and digest ticks every quarter hour, roll-ups after midnight and late evening), and a first boot reconciles the roll-ups', async () => {
    const system = await startSystem({ worker: false });
    // Data that arrived without events (as the demo story does): its roll-ups come from the first reconciliation.
    const world = await system.api.factories.world({ dueDate: '2026-03-16' });
    await system.api.pool.query(`DELETE FROM outbox`);
    const worker = await createWorkerApp(
      testConfig({
        DATABASE_URL: system.api.database.url,
        SMTP_URL: system.smtp.url,
        QUEUE_PREFIX: system.api.config.queuePrefix,
      }),
    );
    const connection = redisOptions(system.api.config.redisUrl);
    const queues = [QueueName.Reminders, QueueName.Digest, QueueName.Rollups].map(
      (name) => new Queue(name, { connection, prefix: system.api.config.queuePrefix }),
    );
    try {
      const registered = async () =>
        (await Promise.all(queues.map((q) => q.getJobSchedulers())))
          .flat()
          .map((s) => ({ id: s.key, name: s.name, pattern: s.pattern, tz: s.tz }))
          .sort((a, b) => a.id.localeCompare(b.id));
      const deadline = Date.now() + 5_000;
      while ((await registered()).length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await registered()).toEqual([
        { id: 'digest-tick', name: 'tick', pattern: '*/15 * * * *', tz: 'Europe/London' },
        { id: 'reminders-tick', name: 'tick', pattern: '*/15 * * * *', tz: 'Europe/London' },
        { id: 'rollups-daily', name: 'daily', pattern: '55 23 * * *', tz: 'Europe/London' },
        { id: 'rollups-reconcile', name: 'reconcile', pattern: '5 0 * * *', tz: 'Europe/London' },
        { id: 'snapshot-quarter-end-30', name: 'quarterSnapshot', pattern: '59 23 30 6,9 *', tz: 'Europe/London' },
        { id: 'snapshot-quarter-end-31', name: 'quarterSnapshot', pattern: '59 23 31 3,12 *', tz: 'Europe/London' },
      ]);
      const organisationCells = async () =>
        (
          await system.api.pool.query(
            `SELECT count(*)::int AS n FROM rollup_cells WHERE organisation_id = $1 AND grain = 'organisation'`,
            [world.organisation.id],
          )
        ).rows[0].n;
      while ((await organisationCells()) === 0 && Date.now() < deadline + 10_000) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await organisationCells()).toBe(1);
    } finally {
      await worker.close();
      for (const q of queues) {
        await q.obliterate({ force: true });
        await q.close();
      }
      await system.close();
    }
  });
});

/** At the end of each quarter the worker freezes a named "as at" snapshot for the board return. */
describe('the quarter-end snapshot', () => {
  it('is taken once, named for the quarter, with every action as it stood', async () => {
    const system = await startSystem({ today: '2026-03-31' });
    try {
      const world = await system.api.factories.world({ dueDate: '2026-03-16' });
      system.clock.set(new Date('2026-03-31T22:59:00Z')); // 23:59 in London (BST)
      const take = () => system.worker.get(RollupsProcessor).handlers.quarterSnapshot({} as never);
      const first = (await take()) as { id: string; name: string };
      const again = (await take()) as { id: string; name: string };
      expect(first.name).toBe('Quarter ending 31 March 2026');
      expect(again.id).toBe(first.id);

      const res = await system.api
        .http()
        .get('/api/v1/snapshots')
        .set('Authorization', `Bearer ${await system.adminToken()}`)
        .expect(200);
      expect(res.body.items.map((s: { name: string }) => s.name)).toEqual(['Quarter ending 31 March 2026']);
      const { rows } = await system.api.pool.query(
        `SELECT status, due_date::text AS due_date, rag FROM snapshot_actions WHERE snapshot_id = $1 AND action_id = $2`,
        [first.id, world.action.id],
      );
      expect(rows).toEqual([{ status: 'not_started', due_date: '2026-03-16', rag: 'red' }]);
    } finally {
      await system.close();
    }
  });
});
