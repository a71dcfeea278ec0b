import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { routeAccess } from '../src/rest/auth/route-access.audit';
import { ApiHarness, startApi } from './api-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;

/**
 * Who sees what, over HTTP: two organisations side by side, and every role trying to reach the other's
 * records. Outside your scope a record does not exist (404); a role that may not write gets 403.
 */
describe('access scope', () => {
  let api: ApiHarness;
  let a: World;
  let b: World;
  let pm: { id: string; email: string };
  let admin: { id: string; email: string };
  /** A's inspection also holds a recommendation handed over to B (a successor body owns it). */
  let handedToB: { id: string };
  let completedA: { id: string };
  let completedB: { id: string };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    a = await api.factories.world();
    b = await api.factories.world();
    pm = await api.factories.user({ role: 'performance_manager', portfolio: [a.organisation.id] });
    admin = await api.factories.user({ role: 'admin' });
    handedToB = await api.factories.recommendation({
      inspectionId: a.inspection.id,
      ownerOrganisationId: b.organisation.id,
    });
    completedA = await api.factories.action({
      recommendationId: a.recommendation.id,
      ownerId: a.manager.id,
      dueDate: '2026-04-30',
      status: 'completed',
      progress: 100,
    });
    completedB = await api.factories.action({
      recommendationId: b.recommendation.id,
      ownerId: b.manager.id,
      dueDate: '2026-04-30',
      status: 'completed',
      progress: 100,
    });
    await api.pool.query(`INSERT INTO findings (inspection_id, ordinal, kind, text) VALUES ($1, 1, 'concern', $2)`, [
      b.inspection.id,
      'Risk of harm analysis not consistent or thorough',
    ]);
  });
  afterAll(() => api.close());

  const bearer = async (user: { email: string }) => ({ Authorization: `Bearer ${await api.tokenFor(user)}` });

  /** Every row that an out-of-scope write could touch, with its version: equal before and after means untouched. */
  const snapshot = async () => {
    const { rows } = await api.pool.query(`
      SELECT (SELECT json_agg(json_build_array(id, version) ORDER BY id) FROM organisations) AS organisations,
        (SELECT json_agg(json_build_array(id, version, active) ORDER BY id) FROM users) AS users,
        (SELECT json_agg(json_build_array(id, version) ORDER BY id) FROM inspections) AS inspections,
        (SELECT count(*)::int FROM findings) AS findings,
        (SELECT json_agg(json_build_array(id, version, owner_organisation_id) ORDER BY id) FROM recommendations)
          AS recommendations,
        (SELECT json_agg(json_build_array(id, version, status, owner_id) ORDER BY id) FROM actions) AS actions,
        (SELECT count(*)::int FROM action_updates) AS action_updates,
        (SELECT count(*)::int FROM recommendation_updates) AS recommendation_updates,
        (SELECT count(*)::int FROM portfolios) AS portfolios,
        (SELECT count(*)::int FROM outbox) AS outbox`);
    return rows[0];
  };

  const expectProblem = (res: { status: number; headers: Record<string, string>; body: any }, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(status);
  };

  describe("a senior manager of A reaching for B's records", () => {
    const reads: [string, () => string][] = [
      ['organisation', () => `/api/v1/organisations/${b.organisation.id}`],
      ['user', () => `/api/v1/users/${b.manager.id}`],
      ['inspection', () => `/api/v1/inspections/${b.inspection.id}`],
      ['findings list', () => `/api/v1/inspections/${b.inspection.id}/findings`],
      ["inspection's recommendations", () => `/api/v1/inspections/${b.inspection.id}/recommendations`],
      ['recommendation', () => `/api/v1/recommendations/${b.recommendation.id}`],
      ['recommendation handed over to B', () => `/api/v1/recommendations/${handedToB.id}`],
      ['recommendation updates', () => `/api/v1/recommendations/${b.recommendation.id}/updates`],
      ['recommendation actions list', () => `/api/v1/recommendations/${b.recommendation.id}/actions`],
      ['action', () => `/api/v1/actions/${b.action.id}`],
      ['action updates list', () => `/api/v1/actions/${b.action.id}/updates`],
    ];

    it.each(reads)('gets 404 on the %s, the same answer as for an id that does not exist', async (_, path) => {
      const headers = await bearer(a.manager);
      const res = await api.http().get(path()).set(headers);
      expectProblem(res, 404);
      const missing = await api
        .http()
        .get(path().replace(/[0-9a-f-]{36}/, randomUUID()))
        .set(headers);
      expectProblem(missing, 404);
      expect(res.body.detail).toBe(missing.body.detail);
      expect(res.body.title).toBe(missing.body.title);
    });

    it("cannot see B's records even through a direct read as a viewer of A", async () => {
      const headers = await bearer(a.viewer);
      for (const [, path] of reads) expectProblem(await api.http().get(path()).set(headers), 404);
    });

    it.each([
      [
        'recommendation',
        () => `/api/v1/recommendations/${b.recommendation.id}`,
        { response: 'not_accepted', responseRationale: 'Not ours' },
      ],
      ['action', () => `/api/v1/actions/${b.action.id}`, { progress: 90, comment: 'Done from A' }],
      ['completed action', () => `/api/v1/actions/${completedB.id}`, { status: 'in_progress', comment: 'Reopen' }],
    ])('gets 404 on PATCH of the %s, and nothing changes', async (_, path, body) => {
      const before = await snapshot();
      const res = await api
        .http()
        .patch(path())
        .set(await bearer(a.manager))
        .set('If-Match', '"1"')
        .send(body);
      expectProblem(res, 404);
      expect(await snapshot()).toEqual(before);
    });

    it("gets 404 adding an action to B's recommendation, and nothing is created", async () => {
      const before = await snapshot();
      const res = await api
        .http()
        .post(`/api/v1/recommendations/${b.recommendation.id}/actions`)
        .set(await bearer(a.manager))
        .send({ title: 'Sneak in an action', dueDate: '2026-06-30' });
      expectProblem(res, 404);
      expect(await snapshot()).toEqual(before);
    });

    it("is refused PATCH of B's inspection by role (403), exactly as for an inspection that does not exist", async () => {
      // Senior managers may not edit any inspection: the refusal comes before any record is looked at, so it
      // says nothing about whether B's inspection exists.
      const headers = await bearer(a.manager);
      const before = await snapshot();
      const res = await api
        .http()
        .patch(`/api/v1/inspections/${b.inspection.id}`)
        .set(headers)
        .set('If-Match', '"1"')
        .send({ title: 'Renamed by A' });
      const missing = await api
        .http()
        .patch(`/api/v1/inspections/${randomUUID()}`)
        .set(headers)
        .set('If-Match', '"1"')
        .send({ title: 'Renamed by A' });
      expectProblem(res, 403);
      expectProblem(missing, 403);
      expect(res.body.detail).toBe(missing.body.detail);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('lists', () => {
    const lists: [string, () => string, () => string[], () => string[]][] = [
      ['organisations', () => '/api/v1/organisations', () => [a.organisation.id], () => [b.organisation.id]],
      ['users', () => '/api/v1/users', () => [a.manager.id, a.viewer.id], () => [b.manager.id, b.viewer.id, admin.id]],
      ['inspections', () => '/api/v1/inspections', () => [a.inspection.id], () => [b.inspection.id]],
      [
        "recommendations of A's inspection",
        () => `/api/v1/inspections/${a.inspection.id}/recommendations`,
        () => [a.recommendation.id],
        () => [handedToB.id],
      ],
      ['actions', () => '/api/v1/actions', () => [a.action.id, completedA.id], () => [b.action.id, completedB.id]],
      [
        'actions filtered to B',
        () => `/api/v1/actions?organisationId=${b.organisation.id}`,
        () => [],
        () => [b.action.id, completedB.id],
      ],
      [
        'inspections filtered to B',
        () => `/api/v1/inspections?organisationId=${b.organisation.id}`,
        () => [],
        () => [b.inspection.id],
      ],
      [
        'users filtered to B',
        () => `/api/v1/users?organisationId=${b.organisation.id}`,
        () => [],
        () => [b.manager.id, b.viewer.id],
      ],
      ["actions owned by B's manager", () => `/api/v1/actions?owner=${b.manager.id}`, () => [], () => [b.action.id]],
    ];

    it.each(lists)("of %s show A's users their own records and never B's", async (_, path, ours, theirs) => {
      for (const user of [a.manager, a.viewer]) {
        const res = await api
          .http()
          .get(path())
          .set(await bearer(user))
          .expect(200);
        const ids = res.body.items.map((i: { id: string }) => i.id);
        expect(ids).toEqual(expect.arrayContaining(ours()));
        for (const id of theirs()) expect(ids).not.toContain(id);
      }
    });

    it("show B's manager only B's recommendation of A's inspection, which they see through the hand-over", async () => {
      const res = await api
        .http()
        .get(`/api/v1/inspections/${a.inspection.id}/recommendations`)
        .set(await bearer(b.manager))
        .expect(200);
      expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([handedToB.id]);
    });

    it('show an admin both organisations', async () => {
      const res = await api
        .http()
        .get('/api/v1/organisations?limit=200')
        .set(await bearer(admin))
        .expect(200);
      const ids = res.body.items.map((o: { id: string }) => o.id);
      expect(ids).toEqual(expect.arrayContaining([a.organisation.id, b.organisation.id]));
    });
  });

  describe('ids in bodies outside scope', () => {
    it("refuses a B user as owner of A's action (422 owner-in-organisation), leaving it as it was", async () => {
      const before = await snapshot();
      const res = await api
        .http()
        .patch(`/api/v1/actions/${a.action.id}`)
        .set(await bearer(a.manager))
        .set('If-Match', '"1"')
        .send({ ownerId: b.manager.id });
      expectProblem(res, 422);
      expect(res.body.rule).toBe('owner-in-organisation');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'ownerId' })]);
      expect(await snapshot()).toEqual(before);
      const { rows } = await api.pool.query(`SELECT owner_id FROM actions WHERE id = $1`, [a.action.id]);
      expect(rows[0].owner_id).toBe(a.manager.id);
    });

    it('refuses a B user as owner of a new action on A’s recommendation, creating nothing', async () => {
      const before = await snapshot();
      const res = await api
        .http()
        .post(`/api/v1/recommendations/${a.recommendation.id}/actions`)
        .set(await bearer(a.manager))
        .send({ title: 'Train offender managers', dueDate: '2026-06-30', ownerId: b.manager.id });
      expectProblem(res, 422);
      expect(res.body.rule).toBe('owner-in-organisation');
      expect(await snapshot()).toEqual(before);
    });

    it("refuses B as owner of a performance manager's new recommendation, as if B did not exist", async () => {
      const headers = await bearer(pm);
      const send = (ownerOrganisationId: string) =>
        api.http().post(`/api/v1/inspections/${a.inspection.id}/recommendations`).set(headers).send({
          reference: 'R90',
          text: 'Make routine checks with children’s social care services.',
          theme: 'protecting_children',
          priority: 'high',
          ownerOrganisationId,
        });
      const before = await snapshot();
      const res = await send(b.organisation.id);
      expectProblem(res, 422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'ownerOrganisationId' })]);
      const missing = await send(randomUUID());
      expect(missing.body.errors).toEqual(res.body.errors);
      expect(await snapshot()).toEqual(before);
    });

    it("refuses moving A's recommendation to B by a performance manager of A only", async () => {
      const before = await snapshot();
      const res = await api
        .http()
        .patch(`/api/v1/recommendations/${a.recommendation.id}`)
        .set(await bearer(pm))
        .set('If-Match', '"1"')
        .send({ ownerOrganisationId: b.organisation.id });
      expectProblem(res, 422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'ownerOrganisationId' })]);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses an inspection of B by a performance manager of A, creating nothing', async () => {
      const before = await snapshot();
      const res = await api
        .http()
        .post('/api/v1/inspections')
        .set(await bearer(pm))
        .send({
          organisationId: b.organisation.id,
          inspectorateId: a.inspectorate.id,
          title: 'Inspection of Adult Offending Work: B',
          publishedOn: '2026-02-01',
        });
      expectProblem(res, 422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'organisationId' })]);
      expect(await snapshot()).toEqual(before);
    });

    it("refuses linking a finding of A's inspection to B's recommendation", async () => {
      const before = await snapshot();
      const res = await api
        .http()
        .post(`/api/v1/inspections/${a.inspection.id}/findings`)
        .set(await bearer(pm))
        .send({ kind: 'concern', text: 'Home visits not always made', recommendationIds: [b.recommendation.id] });
      expectProblem(res, 422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'recommendationIds' })]);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('viewers', () => {
    it.each([
      ['organisation', () => `/api/v1/organisations/${a.organisation.id}`],
      ['inspection', () => `/api/v1/inspections/${a.inspection.id}`],
      ['recommendation', () => `/api/v1/recommendations/${a.recommendation.id}`],
      ['action', () => `/api/v1/actions/${a.action.id}`],
      ['action history', () => `/api/v1/actions/${a.action.id}/updates`],
    ])("read their organisation's %s", async (_, path) => {
      await api
        .http()
        .get(path())
        .set(await bearer(a.viewer))
        .expect(200);
    });

    const writes: [string, string, () => string, () => object][] = [
      ['POST', 'an organisation', () => '/api/v1/organisations', () => ({ name: 'X', kind: 'crc', region: 'wales' })],
      ['PATCH', 'their organisation', () => `/api/v1/organisations/${a.organisation.id}`, () => ({ name: 'Renamed' })],
      [
        'POST',
        'a user',
        () => '/api/v1/users',
        () => ({
          email: 'new.viewer@example.org',
          name: 'New viewer',
          role: 'viewer',
          organisationId: a.organisation.id,
          password: 'a long enough password',
        }),
      ],
      ['PATCH', 'themselves', () => `/api/v1/users/${a.viewer.id}`, () => ({ role: 'admin' })],
      ['PUT', 'a portfolio', () => `/api/v1/users/${pm.id}/portfolio`, () => ({ organisationIds: [] })],
      [
        'POST',
        'an inspection',
        () => '/api/v1/inspections',
        () => ({
          organisationId: a.organisation.id,
          inspectorateId: a.inspectorate.id,
          title: 'Another inspection',
          publishedOn: '2026-01-01',
        }),
      ],
      ['PATCH', 'their inspection', () => `/api/v1/inspections/${a.inspection.id}`, () => ({ title: 'Renamed' })],
      [
        'POST',
        'a finding',
        () => `/api/v1/inspections/${a.inspection.id}/findings`,
        () => ({ kind: 'strength', text: 'Good' }),
      ],
      [
        'POST',
        'a recommendation',
        () => `/api/v1/inspections/${a.inspection.id}/recommendations`,
        () => ({ reference: 'R9', text: 'More', theme: 'risk_of_harm', priority: 'low' }),
      ],
      [
        'PATCH',
        'a recommendation',
        () => `/api/v1/recommendations/${a.recommendation.id}`,
        () => ({ response: 'accepted' }),
      ],
      [
        'POST',
        'an action',
        () => `/api/v1/recommendations/${a.recommendation.id}/actions`,
        () => ({ title: 'Do it', dueDate: '2026-05-01' }),
      ],
      ['PATCH', 'an action', () => `/api/v1/actions/${a.action.id}`, () => ({ progress: 10, comment: 'Started' })],
    ];

    it.each(writes)('are refused %s of %s with 403, and nothing changes', async (method, _, path, body) => {
      const before = await snapshot();
      const res = await api
        .http()
        [method.toLowerCase() as 'post' | 'patch' | 'put'](path())
        .set(await bearer(a.viewer))
        .set('If-Match', '"1"')
        .send(body());
      expectProblem(res, 403);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('a performance manager with only A in the portfolio', () => {
    it('sees only the organisations of the portfolio', async () => {
      const res = await api
        .http()
        .get('/api/v1/organisations')
        .set(await bearer(pm))
        .expect(200);
      expect(res.body.items.map((o: { id: string }) => o.id)).toEqual([a.organisation.id]);
      const actions = await api
        .http()
        .get('/api/v1/actions')
        .set(await bearer(pm))
        .expect(200);
      expect(new Set(actions.body.items.map((x: { organisationId: string }) => x.organisationId))).toEqual(
        new Set([a.organisation.id]),
      );
    });

    it("verifies the portfolio's completed action", async () => {
      const res = await api
        .http()
        .patch(`/api/v1/actions/${completedA.id}`)
        .set(await bearer(pm))
        .set('If-Match', '"1"')
        .send({ status: 'verified', comment: 'Evidence seen at the audit' })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'verified', verifiedById: pm.id, rag: 'complete', version: 2 });
      const { rows } = await api.pool.query(`SELECT status, verified_by_id FROM actions WHERE id = $1`, [
        completedA.id,
      ]);
      expect(rows[0]).toEqual({ status: 'verified', verified_by_id: pm.id });
    });

    it("gets 404 reading or verifying the other organisation's completed action, which stays completed", async () => {
      const headers = await bearer(pm);
      expectProblem(await api.http().get(`/api/v1/actions/${completedB.id}`).set(headers), 404);
      const before = await snapshot();
      const res = await api
        .http()
        .patch(`/api/v1/actions/${completedB.id}`)
        .set(headers)
        .set('If-Match', '"1"')
        .send({ status: 'verified' });
      expectProblem(res, 404);
      expect(await snapshot()).toEqual(before);
      const { rows } = await api.pool.query(`SELECT status FROM actions WHERE id = $1`, [completedB.id]);
      expect(rows[0].status).toBe('completed');
    });

    it("gets 404 on PATCH of B's inspection and on adding to it", async () => {
      const headers = await bearer(pm);
      const before = await snapshot();
      expectProblem(
        await api
          .http()
          .patch(`/api/v1/inspections/${b.inspection.id}`)
          .set(headers)
          .set('If-Match', '"1"')
          .send({ title: 'Renamed by the performance manager of A' }),
        404,
      );
      expectProblem(
        await api
          .http()
          .post(`/api/v1/inspections/${b.inspection.id}/findings`)
          .set(headers)
          .send({ kind: 'strength', text: 'Volunteer mentors helped secure accommodation' }),
        404,
      );
      expectProblem(
        await api
          .http()
          .post(`/api/v1/inspections/${b.inspection.id}/recommendations`)
          .set(headers)
          .send({ reference: 'R77', text: 'Improve', theme: 'risk_of_harm', priority: 'high' }),
        404,
      );
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('a signed-in user whose organisation has nothing yet', () => {
    it.each(['/api/v1/inspections', '/api/v1/actions', '/api/v1/actions?owner=me&overdue=true'])(
      'sees an empty %s list, not an error',
      async (path) => {
        const organisation = await api.factories.organisation();
        const newcomer = await api.factories.user({ role: 'senior_manager', organisationId: organisation.id });
        const res = await api
          .http()
          .get(path)
          .set(await bearer(newcomer))
          .expect(200);
        expect(res.body).toEqual({ items: [], nextCursor: null });
      },
    );

    it('sees only their own organisation and themselves', async () => {
      const organisation = await api.factories.organisation();
      const newcomer = await api.factories.user({ role: 'viewer', organisationId: organisation.id });
      const headers = await bearer(newcomer);
      const organisations = await api.http().get('/api/v1/organisations').set(headers).expect(200);
      expect(organisations.body.items.map((o: { id: string }) => o.id)).toEqual([organisation.id]);
      const users = await api.http().get('/api/v1/users').set(headers).expect(200);
      expect(users.body.items.map((u: { id: string }) => u.id)).toEqual([newcomer.id]);
    });

    it('a performance manager with an empty portfolio sees empty lists', async () => {
      const lonely = await api.factories.user({ role: 'performance_manager' });
      const headers = await bearer(lonely);
      for (const path of ['/api/v1/organisations', '/api/v1/inspections', '/api/v1/actions']) {
        const res = await api.http().get(path).set(headers).expect(200);
        expect(res.body).toEqual({ items: [], nextCursor: null });
      }
    });
  });

  describe('every route declares who may call it', () => {
    interface DeclaredRoute {
      route: string;
      access: string | null;
      method: string;
      path: string;
    }
    let routes: DeclaredRoute[];

    beforeAll(() => {
      const discovery = api.app.get(DiscoveryService);
      const scanner = api.app.get(MetadataScanner);
      const reflector = api.app.get(Reflector);
      const where = new Map<string, { method: string; path: string }>();
      for (const { instance, metatype } of discovery.getControllers()) {
        if (!instance || !metatype) continue;
        const prototype = Object.getPrototypeOf(instance);
        const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
        for (const name of scanner.getAllMethodNames(prototype)) {
          const path = Reflect.getMetadata(PATH_METADATA, prototype[name]);
          if (path === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, prototype[name]) as RequestMethod];
          const full = `/${[base, String(path)].filter((s) => s && s !== '/').join('/')}`.replace(/\/+/g, '/');
          where.set(`${metatype.name}.${name}`, { method, path: full });
        }
      }
      routes = routeAccess(discovery, scanner, reflector).map((r) => ({ ...r, ...where.get(r.route)! }));
    });

    it('finds the API routes, each with the access it needs', () => {
      const byRoute = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, r.access]));
      expect(byRoute).toMatchObject({
        'POST /api/v1/auth/token': 'public',
        'GET /api/v1/me': 'authenticated',
        'POST /api/v1/organisations': 'organisations:write',
        'PUT /api/v1/users/:id/portfolio': 'users:write',
        'PATCH /api/v1/inspections/:id': 'inspections:write',
        'PATCH /api/v1/recommendations/:id': 'recommendations:update',
        'POST /api/v1/recommendations/:id/actions': 'actions:create',
        'PATCH /api/v1/actions/:id': 'actions:update',
        'GET /api/v1/actions/:id/updates': 'actions:read',
      });
      expect(routes.filter((r) => r.path.startsWith('/api/v1/')).length).toBeGreaterThanOrEqual(26);
    });

    it('has no route without declared access', () => {
      expect(routes.filter((r) => r.access === null).map((r) => r.route)).toEqual([]);
    });

    it('has no public write route but sign-in', () => {
      const publicWrites = routes
        .filter((r) => ['POST', 'PATCH', 'PUT', 'DELETE'].includes(r.method) && r.access === 'public')
        .map((r) => `${r.method} ${r.path}`);
      expect(publicWrites).toEqual(['POST /api/v1/auth/token']);
    });

    it('answers 401 without a token on every route that is not public', async () => {
      const guarded = routes.filter((r) => r.access !== 'public');
      expect(guarded.length).toBeGreaterThan(20);
      for (const r of guarded) {
        const path = r.path.replace(/:id/g, a.action.id);
        const res = await api
          .http()
          [r.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put'](path)
          .set('If-Match', '"1"')
          .send({});
        expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({
          route: `${r.method} ${r.path}`,
          status: 401,
        });
      }
    });
  });
});
