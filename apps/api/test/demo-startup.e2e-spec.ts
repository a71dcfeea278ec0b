import { Queue } from 'bullmq';
import { QueueName, redisOptions } from '@rt/jobs';
import { ApiHarness, startApi } from './api-harness';

/** Starting on an empty database with SEED_DEMO: the demo story is loaded and its roll-ups are asked for at once. */
describe('startup with the demo story', () => {
  let api: ApiHarness;
  let rollups: Queue;

  beforeAll(async () => {
    api = await startApi({ env: { SEED_DEMO: 'true', DEMO_PASSWORD: 'demo-password-2014' } });
    rollups = new Queue(QueueName.Rollups, {
      connection: redisOptions(api.config.redisUrl),
      prefix: api.config.queuePrefix,
    });
  });
  afterAll(async () => {
    await rollups.obliterate({ force: true });
    await rollups.close();
    await api.close();
  });

  it('loads the story and queues a roll-up reconciliation for the worker', async () => {
    const { rows } = await api.pool.query(
      `SELECT count(*)::int AS n FROM organisations WHERE name = 'Kent Probation Trust'`,
    );
    expect(rows[0].n).toBe(1);
    const waiting = await rollups.getJobs(['waiting', 'active', 'completed']);
    expect(waiting.map((j) => ({ name: j.name, data: j.data }))).toEqual([
      { name: 'reconcile', data: { trigger: 'manual' } },
    ]);
  });
});
