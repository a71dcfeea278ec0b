import { RollupsService } from '@rt/domain';
import { ApiHarness, startApi } from './api-harness';

describe('named "as at" snapshots', () => {
  let api: ApiHarness;
  const t = {} as Record<'admin' | 'pm' | 'sm' | 'smOther' | 'viewer', string>;
  let w: Awaited<ReturnType<ApiHarness['factories']['world']>>;
  let other: Awaited<ReturnType<ApiHarness['factories']['world']>>;
  let a2: { id: string };

  const as = (who: keyof typeof t) => ({ Authorization: `Bearer ${t[who]}` });
  const patch = async (id: string, body: Record<string, unknown>) => {
    const current = await api.http().get(`/api/v1/actions/${id}`).set(as('sm')).expect(200);
    await api
      .http()
      .patch(`/api/v1/actions/${id}`)
      .set(as('sm'))
      .set('If-Match', current.headers.etag)
      .send(body)
      .expect(200);
  };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    w = await api.factories.world({ dueDate: '2026-03-05' });
    other = await api.factories.world({ dueDate: '2026-01-01' });
    a2 = await api.factories.action({
      recommendationId: w.recommendation.id,
      ownerId: w.manager.id,
      dueDate: '2026-04-01',
    });
    t.admin = await api.tokenFor(await api.factories.user({ role: 'admin' }));
    t.pm = await api.tokenFor(
      await api.factories.user({ role: 'performance_manager', portfolio: [w.organisation.id] }),
    );
    t.sm = await api.tokenFor(w.manager);
    t.smOther = await api.tokenFor(other.manager);
    t.viewer = await api.tokenFor(w.viewer);
    await api.app.get(RollupsService).reconcile('test');
  });
  afterAll(() => api.close());

  it('lets performance managers and admins take snapshots, not senior managers or viewers', async () => {
    await api.http().post('/api/v1/snapshots').set(as('sm')).send({ name: 'Mine' }).expect(403);
    await api.http().post('/api/v1/snapshots').set(as('viewer')).send({ name: 'Mine' }).expect(403);
    const bad = await api.http().post('/api/v1/snapshots').set(as('pm')).send({ name: '  ' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('name');
    await api.http().post('/api/v1/snapshots').set(as('pm')).send({ name: 'x', extra: 1 }).expect(400);
  });

  it('freezes the figures and actions, diffs two snapshots, and never changes afterwards', async () => {
    const q2 = await api
      .http()
      .post('/api/v1/snapshots')
      .set(as('pm'))
      .send({ name: 'Q1 2026 board return' })
      .expect(201);
    expect(q2.body).toMatchObject({ name: 'Q1 2026 board return', asOfDate: '2026-03-02', trigger: 'manual' });
    expect(q2.body.takenBy).toMatchObject({ id: expect.any(String) });

    // Between the snapshots: w.action completed, a2 slipped a month, a new action, and the clock moves on a week so
    // the first action of the other organisation is older and nothing new of w is overdue… except a3, due 3 March.
    await patch(w.action.id, { status: 'in_progress' });
    await patch(w.action.id, { status: 'completed' });
    await patch(a2.id, { dueDate: '2026-05-01', comment: 'Waiting for the new case management system' });
    const created = await api
      .http()
      .post(`/api/v1/recommendations/${w.recommendation.id}/actions`)
      .set(as('sm'))
      .send({ title: 'Audit home visits', dueDate: '2026-03-03', ownerId: w.manager.id })
      .expect(201);
    api.clock!.set(new Date('2026-03-09T12:00:00Z'));
    const q3 = await api.http().post('/api/v1/snapshots').set(as('admin')).send({ name: 'A week later' }).expect(201);
    api.clock!.set(new Date('2026-03-02T12:00:00Z'));

    const list = await api.http().get('/api/v1/snapshots').set(as('viewer')).expect(200);
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['A week later', 'Q1 2026 board return']);

    const first = await api.http().get(`/api/v1/snapshots/${q2.body.id}`).set(as('pm')).expect(200);
    expect(first.body.portfolio).toMatchObject({ total: 2, completed: 0, overdue: 0, byRag: { amber: 1, green: 1 } });
    expect(first.body.items).toEqual([expect.objectContaining({ key: w.organisation.id, total: 2 })]);
    const second = await api.http().get(`/api/v1/snapshots/${q3.body.id}?groupBy=theme`).set(as('pm')).expect(200);
    expect(second.body.portfolio).toMatchObject({ total: 3, completed: 1, overdue: 1, medianDaysOverdue: 6 });
    expect(second.body.items).toEqual([expect.objectContaining({ key: 'risk_of_harm', total: 3 })]);

    const diff = await api.http().get(`/api/v1/snapshots/${q2.body.id}/diff/${q3.body.id}`).set(as('pm')).expect(200);
    const ids = (section: string) => diff.body[section].items.map((i: { actionId: string }) => i.actionId);
    expect(diff.body.new.count).toBe(1);
    expect(ids('new')).toEqual([created.body.id]);
    expect(ids('completed')).toEqual([w.action.id]);
    expect(ids('slipped')).toEqual([a2.id]);
    expect(diff.body.slipped.items[0]).toMatchObject({
      from: { dueDate: '2026-04-01', status: 'not_started' },
      to: { dueDate: '2026-05-01' },
    });
    expect(ids('newlyOverdue')).toEqual([created.body.id]);

    // Another organisation's senior manager sees none of it; the other organisation's overdue action is theirs.
    const theirs = await api.http().get(`/api/v1/snapshots/${q2.body.id}/diff/${q3.body.id}`).set(as('smOther'));
    expect(theirs.status).toBe(200);
    expect([theirs.body.new.count, theirs.body.completed.count, theirs.body.slipped.count]).toEqual([0, 0, 0]);
    const theirFigures = await api.http().get(`/api/v1/snapshots/${q3.body.id}`).set(as('smOther')).expect(200);
    expect(theirFigures.body.items).toEqual([expect.objectContaining({ key: other.organisation.id, overdue: 1 })]);

    // Immutable: the database itself refuses.
    for (const sql of [
      `UPDATE snapshots SET name = 'edited' WHERE id = '${q2.body.id}'`,
      `DELETE FROM snapshots WHERE id = '${q2.body.id}'`,
      `UPDATE snapshot_actions SET status = 'verified' WHERE snapshot_id = '${q2.body.id}'`,
      `DELETE FROM snapshot_cells WHERE snapshot_id = '${q2.body.id}'`,
      `TRUNCATE snapshot_actions`,
    ]) {
      await expect(api.pool.query(sql)).rejects.toThrow(/append-only/);
    }
    const again = await api.http().get(`/api/v1/snapshots/${q2.body.id}`).set(as('pm')).expect(200);
    expect(again.body).toEqual(first.body);
  });

  it('answers 404 for unknown snapshots and 400 for malformed ids', async () => {
    await api.http().get('/api/v1/snapshots/00000000-0000-4000-8000-000000000000').set(as('pm')).expect(404);
    await api.http().get('/api/v1/snapshots/nope').set(as('pm')).expect(400);
    await api.http().get('/api/v1/snapshots/00000000-0000-4000-8000-000000000000?groupBy=x').set(as('pm')).expect(400);
  });
});
