import { ApiHarness, startApi } from './api-harness';

describe('actions API', () => {
  let api: ApiHarness;
  let world: Awaited<ReturnType<ApiHarness['factories']['world']>>;
  let token: string;

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    world = await api.factories.world({ dueDate: '2026-03-13' });
    token = await api.tokenFor(world.manager);
  });
  afterAll(() => api.close());

  const auth = () => ({ Authorization: `Bearer ${token}` });

  it('answers an action with its derived RAG and an ETag', async () => {
    const res = await api.http().get(`/api/v1/actions/${world.action.id}`).set(auth()).expect(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({ id: world.action.id, dueDate: '2026-03-13', rag: 'amber', overdue: false });
  });

  it('records a progress update with its comment in the history, newest first', async () => {
    const patched = await api
      .http()
      .patch(`/api/v1/actions/${world.action.id}`)
      .set(auth())
      .set('If-Match', '"1"')
      .send({ status: 'in_progress', progress: 60, comment: 'Audit tool agreed' })
      .expect(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.body).toMatchObject({ status: 'in_progress', progress: 60, rag: 'green', version: 2 });

    const history = await api.http().get(`/api/v1/actions/${world.action.id}/updates`).set(auth()).expect(200);
    expect(history.body.items[0]).toMatchObject({
      kind: 'updated',
      actor: { id: world.manager.id },
      comment: 'Audit tool agreed',
      changes: [
        { field: 'status', from: 'not_started', to: 'in_progress' },
        { field: 'progress', from: 0, to: 60 },
      ],
    });
  });
});
