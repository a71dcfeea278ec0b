import { Response } from 'supertest';
import { ApiHarness, startApi } from './api-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;
type User = { id: string; email: string };
type Status = 'not_started' | 'in_progress' | 'blocked' | 'completed' | 'verified' | 'cancelled';

const TODAY = '2026-03-02';
const STATUSES: Status[] = ['not_started', 'in_progress', 'blocked', 'completed', 'verified', 'cancelled'];

/** DOMAIN.md: not_started → in_progress ⇄ blocked → completed → verified; completed/verified reopen; cancel. */
const ALLOWED: Record<Status, Status[]> = {
  not_started: ['in_progress', 'cancelled'],
  in_progress: ['blocked', 'completed', 'cancelled'],
  blocked: ['in_progress', 'completed', 'cancelled'],
  completed: ['verified', 'in_progress', 'cancelled'],
  verified: ['in_progress'],
  cancelled: [],
};

describe('actions API', () => {
  let api: ApiHarness;
  let world: World;
  let token: string;
  let admin: User;

  beforeAll(async () => {
    api = await startApi({ today: TODAY });
    world = await api.factories.world({ dueDate: '2026-03-13' });
    token = await api.tokenFor(world.manager);
    admin = await api.factories.user({ role: 'admin' });
  });
  afterAll(() => api.close());

  const auth = () => ({ Authorization: `Bearer ${token}` });
  const as = async (user: { email: string }) => ({ Authorization: `Bearer ${await api.tokenFor(user)}` });
  const portfolioManager = (...organisationIds: string[]) =>
    api.factories.user({ role: 'performance_manager', portfolio: organisationIds });

  const getAction = async (user: User, id: string, status = 200) =>
    api
      .http()
      .get(`/api/v1/actions/${id}`)
      .set(await as(user))
      .expect(status);

  /** PATCHes with the If-Match of the action's current version (read straight from the database). */
  const patchAction = async (user: User, id: string, body: Record<string, unknown>, status = 200) => {
    const { rows } = await api.pool.query(`SELECT version FROM actions WHERE id = $1`, [id]);
    return api
      .http()
      .patch(`/api/v1/actions/${id}`)
      .set(await as(user))
      .set('If-Match', `"${rows[0].version}"`)
      .send(body)
      .expect(status);
  };

  const createAction = async (user: User, recommendationId: string, body: Record<string, unknown>, status = 201) =>
    api
      .http()
      .post(`/api/v1/recommendations/${recommendationId}/actions`)
      .set(await as(user))
      .send(body)
      .expect(status);

  const updates = async (actionId: string) =>
    (
      await api.pool.query(`SELECT kind, actor_id, changes, comment FROM action_updates WHERE action_id = $1`, [
        actionId,
      ])
    ).rows;

  const outbox = async (aggregateId: string) =>
    (await api.pool.query(`SELECT event_type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [aggregateId]))
      .rows as { event_type: string; payload: Record<string, unknown> }[];

  const row = async (id: string) =>
    (
      await api.pool.query(
        `SELECT title, owner_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, status, progress, version
         FROM actions WHERE id = $1`,
        [id],
      )
    ).rows[0];

  /** Asserts a refused change left the action, its history and the outbox exactly as they were. */
  const expectUnchanged = async (id: string, before: { row: unknown; updates: unknown[]; events: unknown[] }) => {
    expect(await row(id)).toEqual(before.row);
    expect(await updates(id)).toEqual(before.updates);
    expect(await outbox(id)).toEqual(before.events);
  };
  const snapshot = async (id: string) => ({ row: await row(id), updates: await updates(id), events: await outbox(id) });

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

  describe('POST /api/v1/recommendations/{id}/actions', () => {
    it('creates an action with its history row and an action-created event', async () => {
      const w = await api.factories.world();
      const res = await createAction(w.manager, w.recommendation.id, {
        title: 'Deliver risk of harm analysis training to all offender managers',
        description: 'Two sessions per office',
        ownerId: w.manager.id,
        dueDate: '2026-06-30',
      });
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        recommendationId: w.recommendation.id,
        inspectionId: w.inspection.id,
        organisationId: w.organisation.id,
        title: 'Deliver risk of harm analysis training to all offender managers',
        description: 'Two sessions per office',
        ownerId: w.manager.id,
        dueDate: '2026-06-30',
        originalDueDate: '2026-06-30',
        status: 'not_started',
        progress: 0,
        evidence: null,
        rag: 'green',
        overdue: false,
        daysOverdue: 0,
        version: 1,
      });

      const history = await api
        .http()
        .get(`/api/v1/actions/${res.body.id}/updates`)
        .set(await as(w.viewer))
        .expect(200);
      expect(history.body.items).toHaveLength(1);
      expect(history.body.items[0]).toMatchObject({ kind: 'created', actor: { id: w.manager.id }, comment: null });
      expect(history.body.items[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'title', from: null, to: 'Deliver risk of harm analysis training to all offender managers' },
          { field: 'ownerId', from: null, to: w.manager.id },
          { field: 'dueDate', from: null, to: '2026-06-30' },
          { field: 'status', from: null, to: 'not_started' },
        ]),
      );

      const events = await outbox(res.body.id);
      expect(events.map((e) => e.event_type)).toEqual(['action-created']);
      expect(events[0].payload).toMatchObject({
        actionId: res.body.id,
        recommendationId: w.recommendation.id,
        organisationId: w.organisation.id,
        ownerId: w.manager.id,
        dueDate: '2026-06-30',
      });

      const listed = await api
        .http()
        .get(`/api/v1/recommendations/${w.recommendation.id}/actions`)
        .set(await as(w.viewer))
        .expect(200);
      expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([res.body.id, w.action.id]);
    });

    it('lets an admin create one, unassigned', async () => {
      const w = await api.factories.world();
      const res = await createAction(admin, w.recommendation.id, {
        title: 'Review home visit policy',
        dueDate: '2026-03-10',
      });
      expect(res.body).toMatchObject({ ownerId: null, rag: 'amber' });
    });

    it('needs an owner who is an active senior manager of the owning organisation (422 owner-in-organisation)', async () => {
      const w = await api.factories.world();
      const other = await api.factories.world();
      const inactive = await api.factories.user({ organisationId: w.organisation.id, active: false });
      const pm = await portfolioManager(w.organisation.id);
      const before = await api.pool.query(`SELECT count(*)::int AS n FROM actions WHERE recommendation_id = $1`, [
        w.recommendation.id,
      ]);
      for (const ownerId of [
        w.viewer.id,
        inactive.id,
        other.manager.id,
        pm.id,
        admin.id,
        'a3bb189e-8bf9-4888-9912-ace4e6543002',
      ]) {
        const res = await createAction(
          w.manager,
          w.recommendation.id,
          { title: 'Home visits in high risk cases', ownerId, dueDate: '2026-04-01' },
          422,
        );
        expect(res.body).toMatchObject({ rule: 'owner-in-organisation' });
        expect(res.body.errors).toEqual([{ field: 'ownerId', message: expect.any(String) }]);
      }
      const after = await api.pool.query(`SELECT count(*)::int AS n FROM actions WHERE recommendation_id = $1`, [
        w.recommendation.id,
      ]);
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('is refused on a recommendation that was not accepted', async () => {
      const w = await api.factories.world();
      const rec = await api.factories.recommendation({
        inspectionId: w.inspection.id,
        ownerOrganisationId: w.organisation.id,
        response: 'not_accepted',
        responseRationale: 'Covered by the national programme',
      });
      const res = await createAction(w.manager, rec.id, { title: 'Something', dueDate: '2026-04-01' }, 422);
      expect(res.body).toMatchObject({ rule: 'not-accepted-needs-no-actions' });
      const { rows } = await api.pool.query(`SELECT count(*)::int AS n FROM actions WHERE recommendation_id = $1`, [
        rec.id,
      ]);
      expect(rows[0].n).toBe(0);
    });

    it('answers 403 to performance managers and viewers, 404 to another organisation', async () => {
      const w = await api.factories.world();
      const other = await api.factories.world();
      const pm = await portfolioManager(w.organisation.id);
      const body = { title: 'Something', dueDate: '2026-04-01' };
      await createAction(pm, w.recommendation.id, body, 403);
      await createAction(w.viewer, w.recommendation.id, body, 403);
      await createAction(other.manager, w.recommendation.id, body, 404);
      await api
        .http()
        .get(`/api/v1/recommendations/${w.recommendation.id}/actions`)
        .set(await as(other.manager))
        .expect(404);
    });

    it('answers 400 naming each bad field', async () => {
      const w = await api.factories.world();
      const missing = await createAction(w.manager, w.recommendation.id, {}, 400);
      expect(new Set(missing.body.errors.map((e: { field: string }) => e.field))).toEqual(
        new Set(['title', 'dueDate']),
      );
      const bad = await createAction(
        w.manager,
        w.recommendation.id,
        { title: 'x', dueDate: '2026-02-30', ownerId: 'someone', status: 'completed' },
        400,
      );
      expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(
        new Set(['dueDate', 'ownerId', 'status']),
      );
    });
  });

  describe('GET /api/v1/actions', () => {
    // Today is 2026-03-02, so the amber window runs to 2026-03-16.
    let org: World;
    let me: User;
    let colleague: User;
    let secondInspection: { id: string };
    let recs: { r1: string; r2: string; r3: string };
    const ids: Record<string, string> = {};
    const due: Record<string, string> = {};

    beforeAll(async () => {
      org = await api.factories.world({ dueDate: '2026-03-20' });
      me = org.manager;
      colleague = await api.factories.user({ organisationId: org.organisation.id });
      secondInspection = await api.factories.inspection({
        organisationId: org.organisation.id,
        inspectorateId: org.inspectorate.id,
      });
      const r2 = await api.factories.recommendation({
        inspectionId: org.inspection.id,
        ownerOrganisationId: org.organisation.id,
      });
      const r3 = await api.factories.recommendation({
        inspectionId: secondInspection.id,
        ownerOrganisationId: org.organisation.id,
      });
      recs = { r1: org.recommendation.id, r2: r2.id, r3: r3.id };
      ids.a0 = org.action.id;
      due.a0 = '2026-03-20';
      const make: [string, keyof typeof recs, User | null, string, Status, number][] = [
        ['a1', 'r1', me, '2026-02-20', 'in_progress', 10], // red: overdue
        ['a2', 'r1', me, '2026-03-10', 'not_started', 0], // amber
        ['a3', 'r1', colleague, '2026-03-10', 'in_progress', 60], // green: in the window, but half done
        ['a4', 'r2', colleague, '2026-05-01', 'blocked', 30], // red: blocked
        ['a5', 'r2', null, '2026-01-15', 'completed', 100], // complete, not overdue
        ['a6', 'r3', me, '2026-04-01', 'not_started', 0], // green
        ['a7', 'r3', me, '2026-02-25', 'cancelled', 0], // no RAG, not overdue
        ['a8', 'r3', colleague, TODAY, 'not_started', 0], // amber: due today is not overdue
        ['a9', 'r1', null, '2026-03-16', 'verified', 100], // complete
        ['a10', 'r2', null, '2026-03-16', 'not_started', 49], // amber: last day of the window
        ['a11', 'r2', null, '2026-03-17', 'not_started', 0], // green: just outside the window
      ];
      for (const [key, rec, owner, dueDate, status, progress] of make) {
        ids[key] = (
          await api.factories.action({ recommendationId: recs[rec], ownerId: owner?.id, dueDate, status, progress })
        ).id;
        due[key] = dueDate;
      }
    });

    /** The actions named, in the API's order: due date, then id. */
    const ordered = (...keys: string[]) =>
      keys
        .map((k) => ({ id: ids[k], due: due[k] }))
        .sort((a, b) => (a.due === b.due ? (a.id < b.id ? -1 : 1) : a.due < b.due ? -1 : 1))
        .map((a) => a.id);

    const list = async (query: string, user: User = me, status = 200) =>
      api
        .http()
        .get(`/api/v1/actions?${query}`)
        .set(await as(user))
        .expect(status);
    const listIds = async (query: string, user: User = me) =>
      (await list(query, user)).body.items.map((a: { id: string }) => a.id);
    const all = () => Object.keys(ids);

    it('lists what the caller may see, sorted by due date then id', async () => {
      expect(await listIds('')).toEqual(ordered(...all()));
      expect(await listIds(`organisationId=${org.organisation.id}`, admin)).toEqual(ordered(...all()));
      const outsider = await api.factories.world();
      expect(await listIds(`organisationId=${org.organisation.id}`, outsider.manager)).toEqual([]);
      expect(await listIds('', outsider.manager)).toEqual([outsider.action.id]);
    });

    it('filters by owner: me, or a user id', async () => {
      expect(await listIds('owner=me')).toEqual(ordered('a0', 'a1', 'a2', 'a6', 'a7'));
      expect(await listIds(`owner=${colleague.id}`)).toEqual(ordered('a3', 'a4', 'a8'));
      expect(await listIds(`owner=${colleague.id.toUpperCase()}`)).toEqual(ordered('a3', 'a4', 'a8'));
      expect(await listIds(`owner=${colleague.id}`, admin)).toEqual(ordered('a3', 'a4', 'a8'));
      expect(await listIds('owner=me', admin)).toEqual([]);
      const bad = await list('owner=someone', me, 400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['owner']);
    });

    it('filters by organisation, inspection and recommendation', async () => {
      expect(await listIds(`inspectionId=${secondInspection.id}`)).toEqual(ordered('a6', 'a7', 'a8'));
      expect(await listIds(`inspectionId=${org.inspection.id}`)).toEqual(
        ordered('a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a9', 'a10', 'a11'),
      );
      expect(await listIds(`recommendationId=${recs.r2}`)).toEqual(ordered('a4', 'a5', 'a10', 'a11'));
      expect(await listIds(`recommendationId=${recs.r2}&owner=${colleague.id}`)).toEqual(ordered('a4'));
      expect(await listIds(`recommendationId=${recs.r2}`, admin)).toEqual(ordered('a4', 'a5', 'a10', 'a11'));
    });

    it('filters by one or several statuses', async () => {
      expect(await listIds('status=blocked')).toEqual(ordered('a4'));
      expect(await listIds('status=in_progress&status=blocked')).toEqual(ordered('a1', 'a3', 'a4'));
      expect(await listIds('status=completed&status=verified&status=cancelled')).toEqual(ordered('a5', 'a7', 'a9'));
      const bad = await list('status=in_progress&status=done', me, 400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['status']);
    });

    it('filters by RAG, as DOMAIN.md derives it', async () => {
      const expected: Record<string, string[]> = {
        red: ordered('a1', 'a4'),
        amber: ordered('a2', 'a8', 'a10'),
        green: ordered('a0', 'a3', 'a6', 'a11'),
        complete: ordered('a5', 'a9'),
      };
      for (const [rag, want] of Object.entries(expected)) {
        const res = await list(`rag=${rag}`);
        expect({ rag, ids: res.body.items.map((a: { id: string }) => a.id) }).toEqual({ rag, ids: want });
        for (const item of res.body.items) expect(item.rag).toBe(rag);
      }
      const bad = await list('rag=purple', me, 400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['rag']);
    });

    it('filters overdue actions: open and past their due date', async () => {
      const res = await list('overdue=true');
      expect(res.body.items.map((a: { id: string }) => a.id)).toEqual(ordered('a1'));
      expect(res.body.items[0]).toMatchObject({ overdue: true, daysOverdue: 10 });
      expect(await listIds('overdue=true&owner=me')).toEqual(ordered('a1'));
      expect(await listIds('overdue=true&owner=' + colleague.id)).toEqual([]);
      const bad = await list('overdue=yes', me, 400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['overdue']);
    });

    it('filters by due date, both bounds exclusive', async () => {
      expect(await listIds('dueBefore=2026-03-10')).toEqual(ordered('a5', 'a1', 'a7', 'a8'));
      expect(await listIds('dueAfter=2026-03-16')).toEqual(ordered('a11', 'a0', 'a6', 'a4'));
      expect(await listIds('dueAfter=2026-03-02&dueBefore=2026-03-16')).toEqual(ordered('a2', 'a3'));
      const bad = await list('dueBefore=2026-02-30&dueAfter=soon', me, 400);
      expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(
        new Set(['dueBefore', 'dueAfter']),
      );
    });

    it('walks every page with nextCursor, never repeating an action', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await list(`limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.items.map((a: { id: string }) => a.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(pages).toBe(4);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(ordered(...all()));

      // Filters hold across pages.
      const first = await list('limit=1&owner=me');
      const second = await list(`limit=1&owner=me&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect([...first.body.items, ...second.body.items].map((a: { id: string }) => a.id)).toEqual(
        ordered('a0', 'a1', 'a2', 'a6', 'a7').slice(0, 2),
      );
    });

    it('refuses a limit over 200 or under 1, and a tampered cursor, naming the parameter', async () => {
      for (const limit of ['201', '0', 'ten']) {
        const res = await list(`limit=${limit}`, me, 400);
        expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['limit']));
      }
      const encode = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
      for (const cursor of [
        'garbage!',
        encode(['2026-02-30', ids.a1]),
        encode(['2026-03-10', 'not-a-uuid']),
        encode(['2026-03-10']),
        encode({ dueDate: '2026-03-10', id: ids.a1 }),
      ]) {
        const res = await api
          .http()
          .get('/api/v1/actions')
          .query({ cursor })
          .set(await as(me));
        expect({ cursor, refused: [400, 422].includes(res.status) }).toEqual({ cursor, refused: true });
        expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      }
    });

    it('pages 50 at a time by default, and up to 200 when asked', async () => {
      const w = await api.factories.world({ dueDate: '2026-12-31' });
      await api.pool.query(
        `INSERT INTO actions (recommendation_id, inspection_id, organisation_id, title, due_date, original_due_date)
         SELECT r.id, r.inspection_id, r.owner_organisation_id, 'Bulk ' || n, DATE '2026-04-01' + n, DATE '2026-04-01' + n
         FROM recommendations r, generate_series(1, 59) n WHERE r.id = $1`,
        [w.recommendation.id],
      );
      const first = await list('', w.manager);
      expect(first.body.items).toHaveLength(50);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const rest = await list(`cursor=${encodeURIComponent(first.body.nextCursor)}`, w.manager);
      expect(rest.body.items).toHaveLength(10);
      expect(rest.body.nextCursor).toBeNull();
      const dues = [...first.body.items, ...rest.body.items].map((a: { dueDate: string }) => a.dueDate);
      expect(dues).toEqual([...dues].sort());
      const big = await list('limit=200', w.manager);
      expect(big.body.items).toHaveLength(60);
      expect(big.body.nextCursor).toBeNull();
    });
  });

  describe('PATCH /api/v1/actions/{id}: status transitions', () => {
    const pairs = STATUSES.flatMap((from) =>
      STATUSES.filter((to) => to !== from).map((to) => [from, to, ALLOWED[from].includes(to)] as const),
    );

    it.each(pairs)('%s → %s allowed: %s', async (from, to, allowed) => {
      const action = await api.factories.action({
        recommendationId: world.recommendation.id,
        ownerId: world.manager.id,
        dueDate: '2026-04-15',
        status: from,
        progress: from === 'completed' || from === 'verified' ? 100 : 20,
      });
      const before = await snapshot(action.id);
      const res = await patchAction(admin, action.id, { status: to, comment: 'Reason given' }, allowed ? 200 : 422);
      if (allowed) {
        expect(res.body).toMatchObject({ status: to, version: 2 });
        const rows = await updates(action.id);
        expect(rows).toHaveLength(1);
        expect(rows[0].changes).toContainEqual({ field: 'status', from, to });
        expect(rows[0].comment).toBe('Reason given');
      } else {
        expect(res.body).toMatchObject({ status: 422, rule: 'status-transition' });
        expect(res.body.errors).toEqual([{ field: 'status', message: expect.stringContaining(to) }]);
        await expectUnchanged(action.id, before);
      }
    });
  });

  describe('PATCH /api/v1/actions/{id}: rules', () => {
    let w: World;
    let pm: User;
    beforeAll(async () => {
      w = await api.factories.world();
      pm = await portfolioManager(w.organisation.id);
    });
    const action = (
      status: Status = 'in_progress',
      progress = status === 'completed' || status === 'verified' ? 100 : 30,
    ) =>
      api.factories.action({
        recommendationId: w.recommendation.id,
        ownerId: w.manager.id,
        dueDate: '2026-04-15',
        status,
        progress,
      });

    it('lets only a performance manager of the portfolio, or an admin, verify', async () => {
      const a = await action('completed');
      const before = await snapshot(a.id);
      const refused = await patchAction(w.manager, a.id, { status: 'verified' }, 422);
      expect(refused.body).toMatchObject({ rule: 'verify-needs-performance-manager' });
      await expectUnchanged(a.id, before);

      const stranger = await portfolioManager((await api.factories.organisation()).id);
      await patchAction(stranger, a.id, { status: 'verified' }, 404);
      await expectUnchanged(a.id, before);

      const res = await patchAction(pm, a.id, { status: 'verified', comment: 'Evidence seen on the visit' });
      expect(res.body).toMatchObject({
        status: 'verified',
        rag: 'complete',
        verifiedById: pm.id,
        verifiedAt: expect.any(String),
        completedAt: expect.any(String),
      });
      const events = await outbox(a.id);
      expect(events.map((e) => e.event_type)).toEqual(['action-changed', 'action-verified']);
      expect(events[1].payload).toMatchObject({ actionId: a.id, verifiedById: pm.id });
    });

    it('reopens a completed or verified action only with a comment, and a verified one only as an overseer', async () => {
      const completed = await action('completed');
      const noReason = await patchAction(w.manager, completed.id, { status: 'in_progress' }, 422);
      expect(noReason.body).toMatchObject({ rule: 'reopen-needs-reason' });
      expect(noReason.body.errors).toEqual([{ field: 'comment', message: expect.any(String) }]);
      const reopened = await patchAction(w.manager, completed.id, {
        status: 'in_progress',
        comment: 'Found more cases',
      });
      expect(reopened.body).toMatchObject({ status: 'in_progress', completedAt: null });

      const verified = await action('verified');
      const before = await snapshot(verified.id);
      const bySenior = await patchAction(w.manager, verified.id, { status: 'in_progress', comment: 'Again' }, 422);
      expect(bySenior.body).toMatchObject({ rule: 'reopen-verified-needs-performance-manager' });
      const bare = await patchAction(pm, verified.id, { status: 'in_progress' }, 422);
      expect(bare.body).toMatchObject({ rule: 'reopen-needs-reason' });
      await expectUnchanged(verified.id, before);
      const res = await patchAction(pm, verified.id, { status: 'in_progress', comment: 'Sample audit failed' });
      expect(res.body).toMatchObject({ status: 'in_progress', verifiedAt: null, verifiedById: null });
    });

    it('cancels only with a comment', async () => {
      const a = await action('not_started');
      const before = await snapshot(a.id);
      const res = await patchAction(w.manager, a.id, { status: 'cancelled' }, 422);
      expect(res.body).toMatchObject({ rule: 'cancel-needs-reason' });
      expect(res.body.errors).toEqual([{ field: 'comment', message: expect.any(String) }]);
      await expectUnchanged(a.id, before);
      const ok = await patchAction(w.manager, a.id, { status: 'cancelled', comment: 'Duplicate of another action' });
      expect(ok.body).toMatchObject({ status: 'cancelled', rag: null, overdue: false });
    });

    it('moves the due date only with a reason, keeping the original due date', async () => {
      const a = await action('in_progress');
      const before = await snapshot(a.id);
      const refused = await patchAction(w.manager, a.id, { dueDate: '2026-05-31' }, 422);
      expect(refused.body).toMatchObject({ rule: 'due-date-change-needs-reason' });
      expect(refused.body.errors).toEqual([{ field: 'comment', message: expect.any(String) }]);
      await expectUnchanged(a.id, before);

      const moved = await patchAction(w.manager, a.id, { dueDate: '2026-05-31', comment: 'Trainer unavailable' });
      expect(moved.body).toMatchObject({ dueDate: '2026-05-31', originalDueDate: '2026-04-15', version: 2 });
      const again = await patchAction(w.manager, a.id, { dueDate: '2026-02-28', comment: 'Brought forward' });
      expect(again.body).toMatchObject({
        dueDate: '2026-02-28',
        originalDueDate: '2026-04-15',
        overdue: true,
        daysOverdue: 2,
        rag: 'red',
      });

      const events = await outbox(a.id);
      expect(events.map((e) => e.event_type)).toEqual([
        'action-changed',
        'action-due-date-moved',
        'action-changed',
        'action-due-date-moved',
      ]);
      expect(events[1].payload).toMatchObject({ from: '2026-04-15', to: '2026-05-31' });
      expect(events[3].payload).toMatchObject({ from: '2026-05-31', to: '2026-02-28' });
      const history = await updates(a.id);
      expect(history.map((u) => [u.changes, u.comment])).toEqual([
        [[{ field: 'dueDate', from: '2026-04-15', to: '2026-05-31' }], 'Trainer unavailable'],
        [[{ field: 'dueDate', from: '2026-05-31', to: '2026-02-28' }], 'Brought forward'],
      ]);
    });

    it('sets progress to 100 on completion, and refuses completion with less', async () => {
      const a = await action('in_progress', 40);
      const short = await patchAction(w.manager, a.id, { status: 'completed', progress: 80 }, 422);
      expect(short.body).toMatchObject({ rule: 'completed-means-100' });
      const done = await patchAction(w.manager, a.id, { status: 'completed', evidence: 'Training register' });
      expect(done.body).toMatchObject({
        status: 'completed',
        progress: 100,
        rag: 'complete',
        completedAt: expect.any(String),
      });
      const [update] = await updates(a.id);
      expect(update.changes).toEqual(
        expect.arrayContaining([
          { field: 'status', from: 'in_progress', to: 'completed' },
          { field: 'progress', from: 40, to: 100 },
          { field: 'evidence', from: null, to: 'Training register' },
        ]),
      );
      expect((await outbox(a.id)).map((e) => e.event_type)).toEqual(['action-changed', 'action-completed']);
    });

    it.each([
      ['progress', { progress: 50 }],
      ['title', { title: 'Renamed' }],
      ['evidence', { evidence: 'Notes' }],
      ['owner', { ownerId: null }],
      ['due date', { dueDate: '2026-06-01', comment: 'More time' }],
      ['start', { status: 'blocked' }],
      ['cancel', { status: 'cancelled', comment: 'Not needed' }],
    ])('refuses a performance manager changing the %s (403), changing nothing', async (_, body) => {
      const a = await action('in_progress');
      const before = await snapshot(a.id);
      const res = await patchAction(pm, a.id, body, 403);
      expect(res.body).toMatchObject({ status: 403 });
      await expectUnchanged(a.id, before);
    });

    it('takes a comment on its own as a history row of kind comment, without a new version', async () => {
      const a = await action('in_progress');
      for (const user of [pm, w.manager]) {
        const res = await patchAction(user, a.id, { comment: `Checked in by ${user.email}` });
        expect(res.headers.etag).toBe('"1"');
        expect(res.body.version).toBe(1);
      }
      const history = await api
        .http()
        .get(`/api/v1/actions/${a.id}/updates`)
        .set(await as(w.viewer))
        .expect(200);
      expect(history.body.items).toEqual([
        expect.objectContaining({ kind: 'comment', actor: expect.objectContaining({ id: w.manager.id }), changes: [] }),
        expect.objectContaining({ kind: 'comment', actor: expect.objectContaining({ id: pm.id }), changes: [] }),
      ]);
      expect(history.body.items[0].comment).toBe(`Checked in by ${w.manager.email}`);
      expect(await outbox(a.id)).toEqual([]);
      expect((await row(a.id)).version).toBe(1);
    });

    it('assigns owners only among the active senior managers of the organisation, and unassigns', async () => {
      const a = await action('in_progress');
      const colleague = await api.factories.user({ organisationId: w.organisation.id });
      const other = await api.factories.world();
      const before = await snapshot(a.id);
      for (const ownerId of [w.viewer.id, other.manager.id, pm.id]) {
        const res = await patchAction(w.manager, a.id, { ownerId }, 422);
        expect(res.body).toMatchObject({ rule: 'owner-in-organisation' });
      }
      await expectUnchanged(a.id, before);

      const res = await patchAction(w.manager, a.id, { ownerId: colleague.id });
      expect(res.body.ownerId).toBe(colleague.id);
      const events = await outbox(a.id);
      expect(events.map((e) => e.event_type)).toEqual(['action-changed', 'action-owner-changed']);
      expect(events[1].payload).toMatchObject({ from: w.manager.id, to: colleague.id });

      // The same owner written in capitals is no change at all.
      await patchAction(w.manager, a.id, { ownerId: colleague.id.toUpperCase() });
      expect(await updates(a.id)).toHaveLength(1);
      expect((await row(a.id)).version).toBe(2);

      const unassigned = await patchAction(w.manager, a.id, { ownerId: null });
      expect(unassigned.body.ownerId).toBeNull();
    });

    it('refuses edits to a verified action until it is reopened', async () => {
      const a = await action('verified');
      const res = await patchAction(w.manager, a.id, { evidence: 'More notes' }, 422);
      expect(res.body).toMatchObject({ rule: 'closed-action-is-read-only' });
    });

    it('answers 403 to viewers, 404 to other organisations, 428 without If-Match and 412 when stale', async () => {
      const a = await action('in_progress');
      const other = await api.factories.world();
      const before = await snapshot(a.id);
      await patchAction(w.viewer, a.id, { progress: 90 }, 403);
      await patchAction(other.manager, a.id, { progress: 90 }, 404);
      await getAction(other.manager, a.id, 404);
      await api
        .http()
        .get(`/api/v1/actions/${a.id}/updates`)
        .set(await as(other.manager))
        .expect(404);
      await api
        .http()
        .patch(`/api/v1/actions/${a.id}`)
        .set(await as(w.manager))
        .send({ progress: 90 })
        .expect(428);
      await api
        .http()
        .patch(`/api/v1/actions/${a.id}`)
        .set(await as(w.manager))
        .set('If-Match', '"0"')
        .send({ progress: 90 })
        .expect(412);
      await expectUnchanged(a.id, before);
    });
  });

  describe('history and outbox', () => {
    it('writes exactly one history row per change, with the events each change implies', async () => {
      const w = await api.factories.world();
      const pm = await portfolioManager(w.organisation.id);
      const colleague = await api.factories.user({ organisationId: w.organisation.id });
      const created = await createAction(w.manager, w.recommendation.id, {
        title: 'Routine checks with children’s social care',
        ownerId: w.manager.id,
        dueDate: '2026-04-30',
      });
      const id = created.body.id;
      expect((await updates(id)).map((u) => u.kind)).toEqual(['created']);
      expect((await outbox(id)).map((e) => e.event_type)).toEqual(['action-created']);

      const steps: [User, Record<string, unknown>, string[]][] = [
        [w.manager, { status: 'in_progress', progress: 10 }, ['action-changed']],
        [w.manager, { progress: 40, comment: 'Half the teams briefed' }, ['action-changed']],
        [
          w.manager,
          { dueDate: '2026-05-15', comment: 'Waiting for the council' },
          ['action-changed', 'action-due-date-moved'],
        ],
        [w.manager, { ownerId: colleague.id }, ['action-changed', 'action-owner-changed']],
        [w.manager, { status: 'blocked', comment: 'Council data sharing agreement' }, ['action-changed']],
        [colleague, { status: 'in_progress' }, ['action-changed']],
        [colleague, { status: 'completed' }, ['action-changed', 'action-completed']],
        [pm, { comment: 'Will sample ten cases' }, []],
        [pm, { status: 'verified' }, ['action-changed', 'action-verified']],
      ];
      let version = 1;
      for (const [user, body, events] of steps) {
        const historyBefore = (await updates(id)).length;
        const outboxBefore = (await outbox(id)).length;
        const res = await patchAction(user, id, body);
        if (events.length) version++;
        expect({ body, version: res.body.version }).toEqual({ body, version });
        expect((await updates(id)).length).toBe(historyBefore + 1);
        const newEvents = (await outbox(id)).slice(outboxBefore);
        expect({ body, events: newEvents.map((e) => e.event_type) }).toEqual({ body, events });
        for (const e of newEvents) expect(e.payload).toMatchObject({ actionId: id, organisationId: w.organisation.id });
      }

      const changed = (await outbox(id)).filter((e) => e.event_type === 'action-changed');
      expect(changed.map((e) => e.payload.version)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
      expect(changed[2].payload).toMatchObject({ fields: ['dueDate'], actorId: w.manager.id });
    });

    it('answers the history newest first with who, when, old and new values and the comment, paged', async () => {
      const w = await api.factories.world();
      const id = w.action.id;
      await patchAction(w.manager, id, { status: 'in_progress' });
      await patchAction(w.manager, id, { progress: 25, comment: 'First quarter' });
      await patchAction(w.manager, id, { title: 'Renamed action' });

      const res = await api
        .http()
        .get(`/api/v1/actions/${id}/updates`)
        .set(await as(w.viewer))
        .expect(200);
      const items = res.body.items;
      expect(items).toHaveLength(3);
      expect(items[0]).toMatchObject({
        actionId: id,
        kind: 'updated',
        actor: { id: w.manager.id, name: expect.any(String) },
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        changes: [{ field: 'title', from: expect.any(String), to: 'Renamed action' }],
        comment: null,
      });
      expect(items[1]).toMatchObject({ changes: [{ field: 'progress', from: 0, to: 25 }], comment: 'First quarter' });
      expect(items[2]).toMatchObject({ changes: [{ field: 'status', from: 'not_started', to: 'in_progress' }] });
      const times = items.map((u: { at: string }) => Date.parse(u.at));
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Response = await api
          .http()
          .get(`/api/v1/actions/${id}/updates`)
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(await as(w.viewer))
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((u: { id: string }) => u.id));
        cursor = page.body.nextCursor;
      } while (cursor && seen.length < 10);
      expect(seen).toEqual(items.map((u: { id: string }) => u.id));

      const tampered = Buffer.from(JSON.stringify(['2026-13-01T00:00:00.000000Z', id])).toString('base64url');
      const bad = await api
        .http()
        .get(`/api/v1/actions/${id}/updates`)
        .query({ cursor: tampered })
        .set(await as(w.viewer));
      expect([400, 422]).toContain(bad.status);
      expect(bad.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    });
  });
});
