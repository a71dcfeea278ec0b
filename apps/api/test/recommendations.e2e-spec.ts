import { Response } from 'supertest';
import { ApiHarness, startApi } from './api-harness';

type User = { id: string; email: string };

const TODAY = '2026-03-02';

describe('recommendations API', () => {
  let api: ApiHarness;
  let admin: User;

  beforeAll(async () => {
    api = await startApi({ today: TODAY });
    admin = await api.factories.user({ role: 'admin' });
  });
  afterAll(() => api.close());

  const as = async (user: { email: string }) => ({ Authorization: `Bearer ${await api.tokenFor(user)}` });
  const portfolioManager = (...organisationIds: string[]) =>
    api.factories.user({ role: 'performance_manager', portfolio: organisationIds });

  const get = async (user: User, id: string) =>
    api
      .http()
      .get(`/api/v1/recommendations/${id}`)
      .set(await as(user))
      .expect(200);

  /** Reads the recommendation for its ETag, then PATCHes it. */
  const patch = async (user: User, id: string, body: Record<string, unknown>, status = 200) => {
    const current = await get(admin, id);
    return api
      .http()
      .patch(`/api/v1/recommendations/${id}`)
      .set(await as(user))
      .set('If-Match', current.headers.etag)
      .send(body)
      .expect(status);
  };

  const patchAction = async (user: User, id: string, body: Record<string, unknown>, status = 200) => {
    const current = await api
      .http()
      .get(`/api/v1/actions/${id}`)
      .set(await as(admin))
      .expect(200);
    return api
      .http()
      .patch(`/api/v1/actions/${id}`)
      .set(await as(user))
      .set('If-Match', current.headers.etag)
      .send(body)
      .expect(status);
  };

  const history = async (id: string) =>
    (
      await api
        .http()
        .get(`/api/v1/recommendations/${id}/updates`)
        .set(await as(admin))
        .expect(200)
    ).body.items;

  const outbox = async (aggregateId: string) =>
    (await api.pool.query(`SELECT event_type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [aggregateId]))
      .rows as { event_type: string; payload: Record<string, unknown> }[];

  const newRecommendation = (overrides: Record<string, unknown> = {}) => ({
    reference: 'R1',
    text: 'Improve the management of risk of harm to others.',
    theme: 'risk_of_harm',
    priority: 'high',
    ...overrides,
  });

  const create = async (user: User, inspectionId: string, body: Record<string, unknown>, status = 201) =>
    api
      .http()
      .post(`/api/v1/inspections/${inspectionId}/recommendations`)
      .set(await as(user))
      .send(body)
      .expect(status);

  describe('POST /api/v1/inspections/{id}/recommendations', () => {
    it('adds a recommendation owned by the inspected body, pending, with no actions yet', async () => {
      const world = await api.factories.world();
      const pm = await portfolioManager(world.organisation.id);
      const res = await create(
        pm,
        world.inspection.id,
        newRecommendation({
          reference: 'R2',
          text: 'Make routine checks with children’s social care services.',
          theme: 'protecting_children',
          targetDate: '2014-09-30',
        }),
        201,
      );
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        inspectionId: world.inspection.id,
        reference: 'R2',
        theme: 'protecting_children',
        priority: 'high',
        source: 'report',
        ownerOrganisationId: world.organisation.id,
        response: 'pending',
        responseRationale: null,
        targetDate: '2014-09-30',
        status: 'not_started',
        progress: { total: 0, completed: 0, verified: 0, overdue: 0, percentComplete: 0 },
        version: 1,
      });

      const [created] = await history(res.body.id);
      expect(created).toMatchObject({ kind: 'created', actor: { id: pm.id }, comment: null });
      expect(created.changes).toEqual(
        expect.arrayContaining([
          { field: 'reference', from: null, to: 'R2' },
          { field: 'theme', from: null, to: 'protecting_children' },
          { field: 'response', from: null, to: 'pending' },
        ]),
      );
      expect((await outbox(res.body.id)).map((e) => e.event_type)).toEqual(['recommendation-created']);

      const list = await api
        .http()
        .get(`/api/v1/inspections/${world.inspection.id}/recommendations`)
        .set(await as(world.viewer))
        .expect(200);
      expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([world.recommendation.id, res.body.id]);

      const firstPage = await api
        .http()
        .get(`/api/v1/inspections/${world.inspection.id}/recommendations`)
        .query({ limit: 1 })
        .set(await as(world.viewer))
        .expect(200);
      expect(firstPage.body.items.map((r: { id: string }) => r.id)).toEqual([world.recommendation.id]);
      const secondPage = await api
        .http()
        .get(`/api/v1/inspections/${world.inspection.id}/recommendations`)
        .query({ limit: 1, cursor: firstPage.body.nextCursor })
        .set(await as(world.viewer))
        .expect(200);
      expect(secondPage.body).toEqual({ items: [expect.objectContaining({ id: res.body.id })], nextCursor: null });
      for (const key of [[1.5], [1e300], ['1']]) {
        const tampered = await api
          .http()
          .get(`/api/v1/inspections/${world.inspection.id}/recommendations`)
          .query({ cursor: Buffer.from(JSON.stringify(key)).toString('base64url') })
          .set(await as(world.viewer));
        expect([400, 422]).toContain(tampered.status);
        expect(tampered.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      }
    });

    it('answers 409 naming reference when the inspection already has that reference', async () => {
      const world = await api.factories.world();
      const other = await api.factories.world();
      await create(admin, world.inspection.id, newRecommendation({ reference: 'R7' }), 201);
      const dup = await create(admin, world.inspection.id, newRecommendation({ reference: 'R7' }), 409);
      expect(dup.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(dup.body).toMatchObject({ status: 409, title: 'Conflict' });
      expect(dup.body.errors).toEqual([{ field: 'reference', message: expect.any(String) }]);
      const { rows } = await api.pool.query(
        `SELECT count(*)::int AS n FROM recommendations WHERE inspection_id = $1 AND reference = 'R7'`,
        [world.inspection.id],
      );
      expect(rows[0].n).toBe(1);

      // Another inspection may use the same reference.
      await create(admin, other.inspection.id, newRecommendation({ reference: 'R7' }), 201);
    });

    it('needs a rationale for not_accepted (422 naming the rule)', async () => {
      const world = await api.factories.world();
      const res = await create(admin, world.inspection.id, newRecommendation({ response: 'not_accepted' }), 422);
      expect(res.body).toMatchObject({ rule: 'not-accepted-needs-rationale' });
      expect(res.body.errors).toEqual([{ field: 'responseRationale', message: expect.any(String) }]);

      const ok = await create(
        admin,
        world.inspection.id,
        newRecommendation({ response: 'not_accepted', responseRationale: 'Already covered by the national review.' }),
        201,
      );
      expect(ok.body).toMatchObject({ status: 'not_accepted', progress: { total: 0, percentComplete: 0 } });
    });

    it('answers 400 naming bad fields, 403 to senior managers, and refuses an inspectorate as owner', async () => {
      const world = await api.factories.world();
      const bad = await create(
        admin,
        world.inspection.id,
        newRecommendation({ theme: 'safety', priority: 'urgent', reference: '' }),
        400,
      );
      expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(
        new Set(['theme', 'priority', 'reference']),
      );
      await create(world.manager, world.inspection.id, newRecommendation(), 403);
      const owner = await create(
        admin,
        world.inspection.id,
        newRecommendation({ ownerOrganisationId: world.inspectorate.id }),
        422,
      );
      expect(owner.body.errors).toEqual([{ field: 'ownerOrganisationId', message: expect.any(String) }]);
      const { rows } = await api.pool.query(`SELECT count(*)::int AS n FROM recommendations WHERE inspection_id = $1`, [
        world.inspection.id,
      ]);
      expect(rows[0].n).toBe(1);
    });

    it("answers 404 for another organisation's inspection", async () => {
      const world = await api.factories.world();
      const other = await api.factories.world();
      const pm = await portfolioManager(world.organisation.id);
      await create(pm, other.inspection.id, newRecommendation({ reference: 'R9' }), 404);
      await api
        .http()
        .get(`/api/v1/inspections/${other.inspection.id}/recommendations`)
        .set(await as(world.manager))
        .expect(404);
    });
  });

  describe('GET /api/v1/recommendations/{id}', () => {
    it('answers with an ETag, and 404 outside what the caller may see', async () => {
      const world = await api.factories.world();
      const other = await api.factories.world();
      const res = await get(world.viewer, world.recommendation.id);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({ id: world.recommendation.id, ownerOrganisationId: world.organisation.id });
      const outsider = await portfolioManager(other.organisation.id);
      for (const user of [other.manager, other.viewer, outsider]) {
        await api
          .http()
          .get(`/api/v1/recommendations/${world.recommendation.id}`)
          .set(await as(user))
          .expect(404);
        await api
          .http()
          .get(`/api/v1/recommendations/${world.recommendation.id}/updates`)
          .set(await as(user))
          .expect(404);
      }
    });
  });

  describe('derived status and progress', () => {
    it('follows the actions: not_started, in_progress, implemented, verified; cancelled actions left out', async () => {
      const world = await api.factories.world();
      const pm = await portfolioManager(world.organisation.id);
      const rec = await api.factories.recommendation({
        inspectionId: world.inspection.id,
        ownerOrganisationId: world.organisation.id,
      });
      const state = async () => (await get(world.manager, rec.id)).body;

      expect(await state()).toMatchObject({
        status: 'not_started',
        progress: { total: 0, completed: 0, verified: 0, overdue: 0, percentComplete: 0 },
      });

      const late = await api.factories.action({
        recommendationId: rec.id,
        ownerId: world.manager.id,
        dueDate: '2026-02-01',
      });
      const onTime = await api.factories.action({
        recommendationId: rec.id,
        ownerId: world.manager.id,
        dueDate: '2026-04-01',
      });
      const third = await api.factories.action({ recommendationId: rec.id, dueDate: '2026-05-01' });
      expect(await state()).toMatchObject({
        status: 'not_started',
        progress: { total: 3, completed: 0, verified: 0, overdue: 1, percentComplete: 0 },
      });

      await patchAction(world.manager, late.id, { status: 'in_progress', progress: 20 }, 200);
      expect(await state()).toMatchObject({
        status: 'in_progress',
        progress: { total: 3, completed: 0, verified: 0, overdue: 1, percentComplete: 0 },
      });

      await patchAction(world.manager, onTime.id, { status: 'in_progress' }, 200);
      await patchAction(world.manager, onTime.id, { status: 'completed' }, 200);
      expect(await state()).toMatchObject({
        status: 'in_progress',
        progress: { total: 3, completed: 1, verified: 0, overdue: 1, percentComplete: 33 },
      });

      await patchAction(
        world.manager,
        third.id,
        {
          status: 'cancelled',
          comment: 'Merged into the training action',
        },
        200,
      );
      expect(await state()).toMatchObject({
        status: 'in_progress',
        progress: { total: 2, completed: 1, verified: 0, overdue: 1, percentComplete: 50 },
      });

      await patchAction(world.manager, late.id, { status: 'completed' }, 200);
      expect(await state()).toMatchObject({
        status: 'implemented',
        progress: { total: 2, completed: 2, verified: 0, overdue: 0, percentComplete: 100 },
      });

      await patchAction(pm, late.id, { status: 'verified' }, 200);
      expect(await state()).toMatchObject({
        status: 'implemented',
        progress: { total: 2, completed: 1, verified: 1, overdue: 0, percentComplete: 100 },
      });

      await patchAction(pm, onTime.id, { status: 'verified' }, 200);
      expect(await state()).toMatchObject({
        status: 'verified',
        progress: { total: 2, completed: 0, verified: 2, overdue: 0, percentComplete: 100 },
      });

      await patchAction(
        pm,
        onTime.id,
        {
          status: 'in_progress',
          comment: 'Evidence did not cover night shifts',
        },
        200,
      );
      expect(await state()).toMatchObject({
        status: 'in_progress',
        progress: { total: 2, completed: 0, verified: 1, overdue: 0, percentComplete: 50 },
      });

      const listed = await api
        .http()
        .get(`/api/v1/inspections/${world.inspection.id}/recommendations`)
        .set(await as(world.viewer))
        .expect(200);
      expect(listed.body.items.find((r: { id: string }) => r.id === rec.id)).toMatchObject({
        status: 'in_progress',
        progress: { total: 2, verified: 1, percentComplete: 50 },
      });
    });

    it('is not_started when every action is cancelled', async () => {
      const world = await api.factories.world();
      await patchAction(world.manager, world.action.id, { status: 'cancelled', comment: 'Superseded' }, 200);
      expect((await get(world.viewer, world.recommendation.id)).body).toMatchObject({
        status: 'not_started',
        progress: { total: 0, completed: 0, verified: 0, overdue: 0, percentComplete: 0 },
      });
    });
  });

  describe('PATCH /api/v1/recommendations/{id}', () => {
    it('needs If-Match (428), refuses a stale one (412), and changes nothing then', async () => {
      const world = await api.factories.world();
      const url = `/api/v1/recommendations/${world.recommendation.id}`;
      await api
        .http()
        .patch(url)
        .set(await as(admin))
        .send({ priority: 'low' })
        .expect(428);
      await api
        .http()
        .patch(url)
        .set(await as(admin))
        .set('If-Match', '"2"')
        .send({ priority: 'low' })
        .expect(412);
      expect((await get(admin, world.recommendation.id)).body).toMatchObject({ priority: 'high', version: 1 });
      expect(await history(world.recommendation.id)).toEqual([]);
      expect(await outbox(world.recommendation.id)).toEqual([]);
    });

    it('lets an admin or performance manager change any field, writing one history row and one event', async () => {
      const world = await api.factories.world();
      const pm = await portfolioManager(world.organisation.id);
      const res = await patch(
        pm,
        world.recommendation.id,
        {
          priority: 'medium',
          theme: 'likelihood_of_reoffending',
          targetDate: '2014-12-31',
          source: 'derived',
        },
        200,
      );
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({
        priority: 'medium',
        theme: 'likelihood_of_reoffending',
        targetDate: '2014-12-31',
        source: 'derived',
        version: 2,
      });

      const rows = await history(world.recommendation.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ kind: 'updated', actor: { id: pm.id }, at: expect.any(String) });
      expect(rows[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'priority', from: 'high', to: 'medium' },
          { field: 'theme', from: 'risk_of_harm', to: 'likelihood_of_reoffending' },
          { field: 'targetDate', from: null, to: '2014-12-31' },
          { field: 'source', from: 'report', to: 'derived' },
        ]),
      );
      expect(rows[0].changes).toHaveLength(4);
      const events = await outbox(world.recommendation.id);
      expect(events.map((e) => e.event_type)).toEqual(['recommendation-changed']);
      expect(events[0].payload).toMatchObject({ recommendationId: world.recommendation.id });
    });

    it('keeps its history newest first, paged', async () => {
      const world = await api.factories.world();
      const created = await create(admin, world.inspection.id, newRecommendation({ reference: 'R3' }), 201);
      await patch(admin, created.body.id, { priority: 'low' }, 200);
      await patch(world.manager, created.body.id, { response: 'accepted' }, 200);

      const all = await history(created.body.id);
      expect(all.map((u: { kind: string }) => u.kind)).toEqual(['updated', 'updated', 'created']);
      expect(all[0]).toMatchObject({
        actor: { id: world.manager.id },
        changes: [{ field: 'response', from: 'pending', to: 'accepted' }],
      });
      expect(all[1]).toMatchObject({
        actor: { id: admin.id },
        changes: [{ field: 'priority', from: 'high', to: 'low' }],
      });
      const times = all.map((u: { at: string }) => Date.parse(u.at));
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Response = await api
          .http()
          .get(`/api/v1/recommendations/${created.body.id}/updates`)
          .query({ limit: 1, ...(cursor ? { cursor } : {}) })
          .set(await as(world.viewer))
          .expect(200);
        seen.push(...page.body.items.map((u: { id: string }) => u.id));
        cursor = page.body.nextCursor;
      } while (cursor && seen.length < 10);
      expect(seen).toEqual(all.map((u: { id: string }) => u.id));

      const tampered = Buffer.from(JSON.stringify(['yesterday', created.body.id])).toString('base64url');
      const bad = await api
        .http()
        .get(`/api/v1/recommendations/${created.body.id}/updates`)
        .query({ cursor: tampered })
        .set(await as(admin));
      expect([400, 422]).toContain(bad.status);
      expect(bad.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    });

    it('answers 409 naming reference when renamed to a reference the inspection already has', async () => {
      const world = await api.factories.world();
      const second = await api.factories.recommendation({
        inspectionId: world.inspection.id,
        ownerOrganisationId: world.organisation.id,
        reference: 'R2',
      });
      const res = await patch(admin, world.recommendation.id, { reference: 'R2' }, 409);
      expect(res.body.errors).toEqual([{ field: 'reference', message: expect.any(String) }]);
      expect((await get(admin, world.recommendation.id)).body.version).toBe(1);
      expect((await get(admin, second.id)).body.reference).toBe('R2');
      expect(await history(world.recommendation.id)).toEqual([]);
    });

    describe('senior managers', () => {
      it("record their organisation's response and rationale", async () => {
        const world = await api.factories.world();
        const res = await patch(
          world.manager,
          world.recommendation.id,
          {
            response: 'partially_accepted',
            responseRationale: 'Home visits agreed; the staffing model is a national decision.',
          },
          200,
        );
        expect(res.body).toMatchObject({
          response: 'partially_accepted',
          responseRationale: 'Home visits agreed; the staffing model is a national decision.',
          version: 2,
        });
      });

      it.each([
        ['text', 'Do something else.'],
        ['priority', 'low'],
        ['theme', 'courts_and_victims'],
        ['targetDate', '2015-01-01'],
        ['reference', 'R99'],
      ])('may not change %s (403), and nothing changes', async (field, value) => {
        const world = await api.factories.world();
        const res = await patch(
          world.manager,
          world.recommendation.id,
          {
            response: 'accepted',
            [field]: value,
          },
          403,
        );
        expect(res.body).toMatchObject({ status: 403 });
        expect((await get(admin, world.recommendation.id)).body).toMatchObject({ version: 1, response: 'accepted' });
        expect(await history(world.recommendation.id)).toEqual([]);
      });

      it('answer 404 on another organisation’s recommendation; viewers get 403', async () => {
        const world = await api.factories.world();
        const other = await api.factories.world();
        await patch(other.manager, world.recommendation.id, { response: 'accepted' }, 404);
        await patch(world.viewer, world.recommendation.id, { response: 'accepted' }, 403);
        expect((await get(admin, world.recommendation.id)).body.version).toBe(1);
      });
    });

    describe('not_accepted', () => {
      it('needs a rationale (422 rule not-accepted-needs-rationale)', async () => {
        const world = await api.factories.world();
        await patchAction(world.manager, world.action.id, { status: 'cancelled', comment: 'Not going ahead' }, 200);
        for (const body of [
          { response: 'not_accepted' },
          { response: 'not_accepted', responseRationale: '   ' },
          { response: 'not_accepted', responseRationale: null },
        ]) {
          const blank = body.responseRationale === '   ';
          const res = await patch(world.manager, world.recommendation.id, body, blank ? 400 : 422);
          if (res.status === 422) expect(res.body).toMatchObject({ rule: 'not-accepted-needs-rationale' });
          expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['responseRationale']);
        }
        expect((await get(admin, world.recommendation.id)).body).toMatchObject({ response: 'accepted', version: 1 });
      });

      it('is refused while actions are open, then allowed once they are cancelled or completed', async () => {
        const world = await api.factories.world();
        const done = await api.factories.action({
          recommendationId: world.recommendation.id,
          dueDate: '2026-01-10',
          status: 'completed',
          progress: 100,
        });
        const body = { response: 'not_accepted', responseRationale: 'The Trust is being dissolved in June.' };
        const refused = await patch(world.manager, world.recommendation.id, body, 422);
        expect(refused.body).toMatchObject({ rule: 'not-accepted-with-open-actions' });
        expect(refused.body.errors).toEqual([{ field: 'response', message: expect.stringContaining('1 open action') }]);
        expect((await get(admin, world.recommendation.id)).body).toMatchObject({ response: 'accepted', version: 1 });

        await patchAction(world.manager, world.action.id, { status: 'cancelled', comment: 'Not going ahead' }, 200);
        const res = await patch(world.manager, world.recommendation.id, body, 200);
        expect(res.body).toMatchObject({
          response: 'not_accepted',
          responseRationale: 'The Trust is being dissolved in June.',
          status: 'not_accepted',
          progress: { total: 1, completed: 1 },
        });
        expect(done.id).toBeDefined();

        // Accepting it again clears the rationale of the refusal.
        const back = await patch(world.manager, world.recommendation.id, { response: 'accepted' }, 200);
        expect(back.body).toMatchObject({ response: 'accepted', responseRationale: null, status: 'implemented' });
      });
    });

    describe('changing the owning organisation', () => {
      it('moves the actions, unassigns owners outside the new organisation, and records it on each action', async () => {
        const world = await api.factories.world();
        const successor = await api.factories.organisation({ kind: 'nps_division' });
        // A manager who moved to the successor with the work keeps their action.
        const transferred = await api.factories.user({ role: 'senior_manager', organisationId: world.organisation.id });
        const kept = await api.factories.action({
          recommendationId: world.recommendation.id,
          ownerId: transferred.id,
          dueDate: '2026-04-30',
        });
        const unowned = await api.factories.action({
          recommendationId: world.recommendation.id,
          dueDate: '2026-05-30',
        });
        await api.pool.query(`UPDATE users SET organisation_id = $2 WHERE id = $1`, [transferred.id, successor.id]);
        const successorManager = await api.factories.user({ role: 'senior_manager', organisationId: successor.id });
        const movedAction = world.action;

        const res = await patch(admin, world.recommendation.id, { ownerOrganisationId: successor.id }, 200);
        expect(res.body).toMatchObject({ ownerOrganisationId: successor.id, version: 2 });

        const actions = await api
          .http()
          .get(`/api/v1/recommendations/${world.recommendation.id}/actions`)
          .set(await as(successorManager))
          .expect(200);
        const byId = new Map(actions.body.items.map((a: { id: string }) => [a.id, a]));
        expect(byId.size).toBe(3);
        expect(byId.get(movedAction.id)).toMatchObject({ organisationId: successor.id, ownerId: null, version: 2 });
        expect(byId.get(kept.id)).toMatchObject({ organisationId: successor.id, ownerId: transferred.id, version: 2 });
        expect(byId.get(unowned.id)).toMatchObject({ organisationId: successor.id, ownerId: null, version: 2 });

        const updates = async (actionId: string) =>
          (
            await api
              .http()
              .get(`/api/v1/actions/${actionId}/updates`)
              .set(await as(successorManager))
              .expect(200)
          ).body.items;
        const [unassigned] = await updates(movedAction.id);
        expect(unassigned).toMatchObject({
          actor: { id: admin.id },
          comment: expect.any(String),
          changes: [
            { field: 'organisationId', from: world.organisation.id, to: successor.id },
            { field: 'ownerId', from: world.manager.id, to: null },
          ],
        });
        const keptUpdates = await updates(kept.id);
        expect(keptUpdates).toHaveLength(1);
        expect(keptUpdates[0].changes).toEqual([
          { field: 'organisationId', from: world.organisation.id, to: successor.id },
        ]);
        expect(await updates(unowned.id)).toHaveLength(1);

        const events = await outbox(movedAction.id);
        expect(events.map((e) => e.event_type)).toEqual(['action-changed', 'action-owner-changed']);
        expect(events[1].payload).toMatchObject({ from: world.manager.id, to: null, organisationId: successor.id });
        expect((await outbox(kept.id)).map((e) => e.event_type)).toEqual(['action-changed']);
        const recEvents = await outbox(world.recommendation.id);
        expect(recEvents.map((e) => e.event_type)).toEqual(['recommendation-changed']);
        expect(recEvents[0].payload).toMatchObject({
          organisationId: successor.id,
          previousOrganisationId: world.organisation.id,
        });

        const [recUpdate] = await history(world.recommendation.id);
        expect(recUpdate.changes).toEqual([
          { field: 'ownerOrganisationId', from: world.organisation.id, to: successor.id },
        ]);

        // The old organisation no longer sees the recommendation or its actions; the successor does.
        await api
          .http()
          .get(`/api/v1/recommendations/${world.recommendation.id}`)
          .set(await as(world.manager))
          .expect(404);
        await api
          .http()
          .get(`/api/v1/actions/${movedAction.id}`)
          .set(await as(world.manager))
          .expect(404);
        await get(successorManager, world.recommendation.id);
      });

      it('is not for senior managers (403), and performance managers only within their portfolio (422)', async () => {
        const world = await api.factories.world();
        const elsewhere = await api.factories.organisation();
        const pm = await portfolioManager(world.organisation.id);
        await patch(world.manager, world.recommendation.id, { ownerOrganisationId: elsewhere.id }, 403);
        const res = await patch(pm, world.recommendation.id, { ownerOrganisationId: elsewhere.id }, 422);
        expect(res.body.errors).toEqual([{ field: 'ownerOrganisationId', message: expect.any(String) }]);
        const { rows } = await api.pool.query(`SELECT organisation_id, version FROM actions WHERE id = $1`, [
          world.action.id,
        ]);
        expect(rows[0]).toEqual({ organisation_id: world.organisation.id, version: 1 });
        expect((await get(admin, world.recommendation.id)).body.version).toBe(1);
      });
    });
  });
});
