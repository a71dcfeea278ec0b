import { RemindersProcessor } from '../../apps/worker/src/processors/reminders.processor';
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
