import { RollupsService } from '@rt/domain';
import { startSystem, SystemHarness } from './system-harness';

interface Item {
  key: string;
  total: number;
  recommendationsByStatus: Record<string, number>;
}

/** Roll-ups after a hand-over, kept by the worker: "as it is now" (successors) and "as it was then" (predecessor). */
describe('roll-ups after a hand-over', () => {
  let system: SystemHarness;
  let admin: string;
  const org = {} as Record<'trust' | 'crc', string>;
  let openRec: string;

  const api = () => system.api.http();
  const rollup = async (query = '') => {
    const res = await api()
      .get(`/api/v1/rollups?groupBy=organisation${query}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    const items = res.body.items as Item[];
    return { trust: items.find((i) => i.key === org.trust), crc: items.find((i) => i.key === org.crc) };
  };
  const waitFor = async <T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 10_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  beforeAll(async () => {
    system = await startSystem();
    admin = await system.adminToken();
    const f = system.api.factories;
    const inspectorate = await f.inspectorate();
    org.trust = (await f.organisation({ name: 'Then Probation Trust' })).id;
    org.crc = (await f.organisation({ name: 'Now CRC', kind: 'crc' })).id;
    const manager = await f.user({ role: 'senior_manager', organisationId: org.trust });
    const inspection = await f.inspection({ organisationId: org.trust, inspectorateId: inspectorate.id });
    openRec = (await f.recommendation({ inspectionId: inspection.id, ownerOrganisationId: org.trust })).id;
    await f.action({ recommendationId: openRec, ownerId: manager.id, dueDate: '2030-01-31', status: 'in_progress' });
    await f.action({ recommendationId: openRec, ownerId: manager.id, dueDate: '2030-02-28' });
    await f.recommendation({
      inspectionId: inspection.id,
      ownerOrganisationId: org.trust,
      response: 'not_accepted',
      responseRationale: 'Not for us.',
    });
    // The roll-ups and one day of trend, as they stood before the restructuring.
    const rollups = system.api.app.get(RollupsService);
    await rollups.reconcile('test');
    await rollups.captureDay(rollups.today());
  });
  afterAll(() => system?.close());

  it('shows the moved work under the successor now, the predecessor as it was then, and keeps the trend', async () => {
    const before = await rollup();
    expect(before.trust).toMatchObject({ total: 2 });
    expect(before.crc).toBeUndefined();

    await api()
      .post('/api/v1/handovers')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        fromOrganisationIds: [org.trust],
        effectiveOn: '2014-06-01',
        kind: 'split',
        allocations: [{ recommendationId: openRec, toOrganisationId: org.crc }],
        dissolvePredecessors: true,
      })
      .expect(201);

    // As now: the worker refreshes both organisations from the hand-over's events.
    // Both organisations' refreshes may be separate jobs: wait for the two.
    const now = await waitFor(rollup, (r) => r.crc?.total === 2 && r.trust?.total === 0);
    expect(now.trust).toMatchObject({
      total: 0,
      recommendationsByStatus: expect.objectContaining({ not_accepted: 1 }),
    });
    expect(now.crc!.recommendationsByStatus.in_progress).toBe(1);

    // As then: the handed-over recommendation counts under the Trust again.
    const then = await rollup('&attribution=then');
    expect(then.trust).toMatchObject({ total: 2 });
    expect(then.trust!.recommendationsByStatus).toMatchObject({ in_progress: 1, not_accepted: 1 });
    expect(then.crc).toBeUndefined();
    const one = await rollup(`&attribution=then&organisationId=${org.trust}`);
    expect(one.trust).toMatchObject({ total: 2 });
    await api()
      .get('/api/v1/rollups?groupBy=theme&attribution=then')
      .set('Authorization', `Bearer ${admin}`)
      .expect(400);

    // The Trust's trend keeps the days before the hand-over as they were.
    const today = system.api.app.get(RollupsService).today();
    const trend = await api()
      .get(`/api/v1/rollups/trend?groupBy=organisation&key=${org.trust}&from=${today}&to=${today}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(trend.body.points).toEqual([expect.objectContaining({ date: today, total: 2 })]);
  });
});
