import { ApiHarness, startApi } from './api-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;

const RACERS = 20;

describe('concurrent changes (If-Match)', () => {
  let api: ApiHarness;
  let admin: { id: string; email: string };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    admin = await api.factories.user({ role: 'admin' });
  });
  afterAll(() => api.close());

  const as = async (user: { email: string }) => ({ Authorization: `Bearer ${await api.tokenFor(user)}` });

  /** Everything a lost or doubled update would disturb: the row, its history and its outbox events. */
  async function state(table: 'actions' | 'recommendations', id: string) {
    const history = table === 'actions' ? 'action_updates' : 'recommendation_updates';
    const key = table === 'actions' ? 'action_id' : 'recommendation_id';
    const [{ rows: record }, { rows: updates }, { rows: events }] = await Promise.all([
      api.pool.query(`SELECT to_jsonb(t) - 'updated_at' AS record FROM ${table} t WHERE id = $1`, [id]),
      api.pool.query(`SELECT id, changes, comment FROM ${history} WHERE ${key} = $1 ORDER BY created_at, id`, [id]),
      api.pool.query(`SELECT id, event_type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [id]),
    ]);
    return { record: record[0].record, updates, events };
  }

  async function race(url: string, etag: string, bodies: Record<string, unknown>[], user: { email: string }) {
    const headers = await as(user);
    return Promise.all(
      bodies.map((body) =>
        api
          .http()
          .patch(url)
          .set(headers)
          .set('If-Match', etag)
          .send(body)
          .then((res) => res),
      ),
    );
  }

  describe('actions', () => {
    let world: World;
    beforeEach(async () => {
      world = await api.factories.world({ dueDate: '2026-04-30' });
    });

    it(`lets exactly one of ${RACERS} PATCHes with the same If-Match through; the rest get 412`, async () => {
      const url = `/api/v1/actions/${world.action.id}`;
      const bodies = Array.from({ length: RACERS }, (_, i) => ({
        status: 'in_progress',
        progress: i + 1,
        comment: `Update ${i + 1}`,
      }));
      const responses = await race(url, '"1"', bodies, world.manager);

      const statuses = responses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(RACERS - 1);
      const winner = responses.find((r) => r.status === 200)!;
      expect(winner.headers.etag).toBe('"2"');
      for (const loser of responses.filter((r) => r.status === 412)) {
        expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(loser.body).toMatchObject({ status: 412, title: 'Precondition failed' });
      }

      const after = await state('actions', world.action.id);
      expect(after.record).toMatchObject({ version: 2, status: 'in_progress', progress: winner.body.progress });
      expect(after.updates).toHaveLength(1);
      expect(after.updates[0].comment).toBe(`Update ${winner.body.progress}`);
      expect(after.events.map((e: { event_type: string }) => e.event_type)).toEqual(['action-changed']);

      const read = await api
        .http()
        .get(url)
        .set(await as(world.viewer))
        .expect(200);
      expect(read.headers.etag).toBe('"2"');
      expect(read.body).toMatchObject({ version: 2, progress: winner.body.progress });
    });

    it('changes nothing on a stale If-Match: not the action, its history or the outbox', async () => {
      const url = `/api/v1/actions/${world.action.id}`;
      await api
        .http()
        .patch(url)
        .set(await as(world.manager))
        .set('If-Match', '"1"')
        .send({ status: 'in_progress', progress: 10 })
        .expect(200);
      const before = await state('actions', world.action.id);
      const bodyBefore = (
        await api
          .http()
          .get(url)
          .set(await as(world.manager))
      ).body;

      for (const body of [
        { progress: 90 },
        { dueDate: '2026-06-30', comment: 'Later' },
        { comment: 'Only a comment' },
        { status: 'completed' },
      ]) {
        const res = await api
          .http()
          .patch(url)
          .set(await as(world.manager))
          .set('If-Match', '"1"')
          .send(body)
          .expect(412);
        expect(res.body.detail).toEqual(expect.any(String));
      }
      const missing = await api
        .http()
        .patch(url)
        .set(await as(world.manager))
        .send({ progress: 90 })
        .expect(428);
      expect(missing.body.status).toBe(428);
      const star = await api
        .http()
        .patch(url)
        .set(await as(world.manager))
        .set('If-Match', '*')
        .send({ progress: 90 })
        .expect(428);
      expect(star.body.errors).toEqual([expect.objectContaining({ field: 'If-Match' })]);

      expect(await state('actions', world.action.id)).toEqual(before);
      const bodyAfter = (
        await api
          .http()
          .get(url)
          .set(await as(world.manager))
      ).body;
      expect(bodyAfter).toEqual(bodyBefore);
    });

    it('keeps every update when racing clients each re-read and retry on 412', async () => {
      const url = `/api/v1/actions/${world.action.id}`;
      const headers = await as(world.manager);
      const comments = Array.from({ length: 8 }, (_, i) => `Step ${i + 1}`);
      await Promise.all(
        comments.map(async (comment, i) => {
          for (let attempt = 0; attempt < 50; attempt++) {
            const current = await api.http().get(url).set(headers).expect(200);
            const res = await api
              .http()
              .patch(url)
              .set(headers)
              .set('If-Match', current.headers.etag)
              .send({ evidence: `${current.body.evidence ?? ''}[${i + 1}]`, comment });
            if (res.status === 200) return;
            expect(res.status).toBe(412);
          }
          throw new Error(`${comment} never got through`);
        }),
      );
      const after = await state('actions', world.action.id);
      expect(after.record.version).toBe(1 + comments.length);
      expect(after.updates).toHaveLength(comments.length);
      const evidence: string = after.record.evidence;
      for (let i = 1; i <= comments.length; i++) expect(evidence).toContain(`[${i}]`);
    });
  });

  describe('recommendations', () => {
    let world: World;
    beforeEach(async () => {
      world = await api.factories.world();
    });

    it(`lets exactly one of ${RACERS} PATCHes with the same If-Match through; the rest get 412`, async () => {
      const url = `/api/v1/recommendations/${world.recommendation.id}`;
      const bodies = Array.from({ length: RACERS }, (_, i) => ({ text: `Wording ${i + 1}`, priority: 'medium' }));
      const responses = await race(url, '"1"', bodies, admin);

      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 412)).toHaveLength(RACERS - 1);
      const winner = responses.find((r) => r.status === 200)!;
      expect(winner.headers.etag).toBe('"2"');

      const after = await state('recommendations', world.recommendation.id);
      expect(after.record).toMatchObject({ version: 2, text: winner.body.text, priority: 'medium' });
      expect(after.updates).toHaveLength(1);
      expect(after.updates[0].changes).toContainEqual({
        field: 'text',
        from: expect.any(String),
        to: winner.body.text,
      });
      expect(after.events.map((e: { event_type: string }) => e.event_type)).toEqual(['recommendation-changed']);
    });

    it('lets exactly one senior manager response through when several race', async () => {
      const url = `/api/v1/recommendations/${world.recommendation.id}`;
      const bodies = Array.from({ length: RACERS }, (_, i) => ({
        response: i % 2 ? 'accepted' : 'partially_accepted',
        responseRationale: `Rationale ${i + 1}`,
      }));
      const responses = await race(url, '"1"', bodies, world.manager);
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 412)).toHaveLength(RACERS - 1);
      const after = await state('recommendations', world.recommendation.id);
      expect(after.record.version).toBe(2);
      expect(after.updates).toHaveLength(1);
    });

    it('changes nothing on a stale If-Match: not the recommendation, its actions, history or outbox', async () => {
      const url = `/api/v1/recommendations/${world.recommendation.id}`;
      const successor = await api.factories.organisation();
      await api
        .http()
        .patch(url)
        .set(await as(admin))
        .set('If-Match', '"1"')
        .send({ priority: 'low' })
        .expect(200);
      const before = await state('recommendations', world.recommendation.id);
      const actionBefore = await state('actions', world.action.id);

      for (const body of [
        { priority: 'medium' },
        { ownerOrganisationId: successor.id },
        { response: 'accepted' },
        { reference: 'R42' },
      ]) {
        await api
          .http()
          .patch(url)
          .set(await as(admin))
          .set('If-Match', '"1"')
          .send(body)
          .expect(412);
      }
      await api
        .http()
        .patch(url)
        .set(await as(admin))
        .send({ priority: 'medium' })
        .expect(428);

      expect(await state('recommendations', world.recommendation.id)).toEqual(before);
      expect(await state('actions', world.action.id)).toEqual(actionBefore);
    });
  });
});
