import { startSystem, SystemHarness } from './system-harness';

/** Roll-ups kept fresh by the worker from the outbox: API and worker together on one database and Redis. */
describe('roll-ups kept by the worker', () => {
  let system: SystemHarness;
  let world: Awaited<ReturnType<SystemHarness['api']['factories']['world']>>;
  let actions: { id: string }[];
  let admin: string;
  let manager: string;
  let pm: string;

  const api = () => system.api.http();
  const organisationRollup = async () => {
    const res = await api()
      .get('/api/v1/rollups?groupBy=organisation')
      .set('Authorization', `Bearer ${pm}`)
      .expect(200);
    return res.body as { asOf: string; items: { key: string; completed: number; byStatus: Record<string, number> }[] };
  };
  const patch = async (id: string, body: Record<string, unknown>) => {
    const current = await api().get(`/api/v1/actions/${id}`).set('Authorization', `Bearer ${manager}`).expect(200);
    const res = await api()
      .patch(`/api/v1/actions/${id}`)
      .set('Authorization', `Bearer ${manager}`)
      .set('If-Match', current.headers.etag)
      .send(body);
    expect(res.status).toBe(200);
  };
  const reconcile = async () => {
    const accepted = await api()
      .post('/api/v1/jobs/rollups/reconcile')
      .set('Authorization', `Bearer ${admin}`)
      .expect(202);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await api()
        .get(`/api/v1/jobs/rollups/reconcile/${accepted.body.jobId}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      if (res.body.state === 'completed') return res.body.result as { drift: number; cells: number };
      if (res.body.state === 'failed' || Date.now() > deadline) throw new Error(JSON.stringify(res.body));
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const refreshesOf = async (organisationId: string, since: Date) => {
    const { rows } = await system.api.pool.query(
      `SELECT count(*)::int AS n FROM rollup_refreshes
       WHERE kind = 'refresh' AND $1 = ANY(organisation_ids) AND started_at >= $2`,
      [organisationId, since],
    );
    return rows[0].n as number;
  };
  const waitFor = async <T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 5_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    system = await startSystem({ today: '2026-03-02' });
    const f = system.api.factories;
    world = await f.world({ dueDate: '2026-06-01' });
    actions = [world.action];
    for (let i = 0; i < 9; i++) {
      actions.push(
        await f.action({ recommendationId: world.recommendation.id, ownerId: world.manager.id, dueDate: '2026-06-01' }),
      );
    }
    admin = await system.adminToken();
    manager = await system.api.tokenFor(world.manager);
    pm = await system.api.tokenFor(await f.user({ role: 'performance_manager', portfolio: [world.organisation.id] }));
    await reconcile();
  });
  afterAll(() => system.close());

  it('reflects a change made through the API within 2 seconds, and says asOf', async () => {
    const before = await organisationRollup();
    expect(before.items[0].byStatus.in_progress).toBe(0);
    const changed = Date.now();
    await patch(actions[0].id, { status: 'in_progress' });
    const after = await waitFor(organisationRollup, (r) => r.items[0].byStatus.in_progress === 1, 2_000);
    expect(Date.now() - changed).toBeLessThan(2_000);
    expect(Date.parse(after.asOf)).toBeGreaterThanOrEqual(changed - 1_000);
  });

  it('debounces a burst of 100 updates to one inspection into a handful of recomputations', async () => {
    await new Promise((r) => setTimeout(r, 1_000)); // let the previous test's refresh finish
    const since = new Date();
    for (let round = 1; round <= 10; round++) {
      await Promise.all(
        actions.map((a) =>
          patch(a.id, round === 1 && a !== actions[0] ? { status: 'in_progress' } : { progress: round * 9 }),
        ),
      );
    }
    const done = await waitFor(organisationRollup, (r) => r.items[0].byStatus.in_progress === 10, 3_000);
    expect(done.items[0].byStatus.in_progress).toBe(10);
    await new Promise((r) => setTimeout(r, 1_000)); // any refresh still to come
    const refreshes = await refreshesOf(world.organisation.id, since);
    expect(refreshes).toBeGreaterThanOrEqual(1);
    expect(refreshes).toBeLessThanOrEqual(6);
    const { rows } = await system.api.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE created_at >= $1`, [
      since,
    ]);
    expect(rows[0].n).toBeGreaterThanOrEqual(100);
  });

  it('reconciliation finds corrupted, missing and surplus cells, repairs them and logs the drift', async () => {
    const good = await organisationRollup();
    await system.api.pool.query(
      `UPDATE rollup_cells SET completed = 99 WHERE grain = 'organisation' AND organisation_id = $1`,
      [world.organisation.id],
    );
    await system.api.pool.query(`DELETE FROM rollup_cells WHERE grain = 'theme' AND organisation_id = $1`, [
      world.organisation.id,
    ]);
    await system.api.pool.query(
      `INSERT INTO rollup_cells (grain, organisation_id, key, as_of_date, completed)
       VALUES ('organisation', $1::uuid, $1::text, '2026-03-02', 5)`,
      [world.inspectorate.id],
    );
    expect((await organisationRollup()).items[0].completed).toBe(99);
    const result = await reconcile();
    expect(result.drift).toBe(3);
    expect(await organisationRollup()).toEqual({ ...good, asOf: expect.any(String) });
    const { rows } = await system.api.pool.query(
      `SELECT drift FROM rollup_refreshes WHERE kind = 'reconcile' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0].drift).toBe(3);
    expect((await reconcile()).drift).toBe(0);
  });
});
