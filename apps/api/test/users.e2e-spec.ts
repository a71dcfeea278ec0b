import { randomUUID } from 'node:crypto';
import { Response } from 'supertest';
import { ApiHarness, startApi } from './api-harness';

type User = { id: string; email: string; password: string };

describe('users API', () => {
  let api: ApiHarness;
  let admin: User;
  let kent: { id: string; name: string };
  let surrey: { id: string; name: string };
  let kentManager: User;
  let kentViewer: User;
  let surreyManager: User;
  let performanceManager: User;

  beforeAll(async () => {
    api = await startApi();
    admin = await api.factories.user({ role: 'admin' });
    kent = await api.factories.organisation({ name: 'Kent Probation Trust' });
    surrey = await api.factories.organisation({ name: 'Surrey and Sussex Probation Trust' });
    kentManager = await api.factories.user({ role: 'senior_manager', organisationId: kent.id });
    kentViewer = await api.factories.user({ role: 'viewer', organisationId: kent.id });
    surreyManager = await api.factories.user({ role: 'senior_manager', organisationId: surrey.id });
    performanceManager = await api.factories.user({ role: 'performance_manager', portfolio: [surrey.id] });
  });
  afterAll(() => api.close());

  const as = async (user: User) => ({ Authorization: `Bearer ${await api.tokenFor(user)}` });

  /** Every id a list answers, walking all its pages. */
  async function allIds(user: User, query = ''): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await api
        .http()
        .get(`/api/v1/users?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`)
        .set(await as(user))
        .expect(200);
      ids.push(...res.body.items.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    return ids;
  }

  const newUser = (overrides: Record<string, unknown> = {}) => ({
    email: `new.person.${randomUUID().slice(0, 8)}@example.org`,
    name: 'Head of Public Protection',
    role: 'senior_manager',
    organisationId: kent.id,
    password: 'a long enough password',
    ...overrides,
  });

  function expectNoPasswordHash(body: unknown) {
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/password/i);
    expect(text).not.toMatch(/\$argon2/);
  }

  describe('POST /api/v1/users', () => {
    it('creates a user who can then sign in, answering 201 with an ETag and no password hash', async () => {
      const body = newUser();
      const res = await api
        .http()
        .post('/api/v1/users')
        .set(await as(admin))
        .send(body)
        .expect(201);
      expect(res.headers.etag).toBe(`"${res.body.version}"`);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        email: body.email,
        name: body.name,
        role: 'senior_manager',
        organisationId: kent.id,
        active: true,
        portfolioOrganisationIds: [],
      });
      expectNoPasswordHash(res.body);
      const token = await api.tokenFor({ email: body.email, password: body.password });
      const me = await api.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(me.body.id).toBe(res.body.id);
    });

    it('refuses an email already in use, whatever its case, with 409 naming email', async () => {
      const taken = newUser({ email: 'Duty.Manager@Example.org' });
      await api
        .http()
        .post('/api/v1/users')
        .set(await as(admin))
        .send(taken)
        .expect(201);
      const res = await api
        .http()
        .post('/api/v1/users')
        .set(await as(admin))
        .send(newUser({ email: 'duty.manager@EXAMPLE.ORG' }))
        .expect(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
      const { rows } = await api.pool.query(`SELECT count(*)::int AS n FROM users WHERE lower(email) = $1`, [
        'duty.manager@example.org',
      ]);
      expect(rows[0].n).toBe(1);
    });

    it('refuses a senior manager or viewer without an organisation with 422 naming organisationId', async () => {
      for (const role of ['senior_manager', 'viewer']) {
        const body = newUser({ role, organisationId: undefined });
        const res = await api
          .http()
          .post('/api/v1/users')
          .set(await as(admin))
          .send(body)
          .expect(422);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'organisationId' })]);
        const { rows } = await api.pool.query(`SELECT 1 FROM users WHERE email = $1`, [body.email]);
        expect(rows).toHaveLength(0);
      }
    });

    it('refuses an organisation that does not exist with 422 naming organisationId', async () => {
      const res = await api
        .http()
        .post('/api/v1/users')
        .set(await as(admin))
        .send(newUser({ organisationId: randomUUID() }))
        .expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'organisationId' })]);
    });

    it('refuses bad input with 400 naming each field', async () => {
      const res = await api
        .http()
        .post('/api/v1/users')
        .set(await as(admin))
        .send({ email: 'not-an-email', name: 'X', role: 'chief', password: 'short', passwordHash: 'x' })
        .expect(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['email', 'role', 'password', 'passwordHash']));
    });

    it('is for admins only: other roles get 403 and nothing is created', async () => {
      for (const user of [performanceManager, kentManager, kentViewer]) {
        const body = newUser();
        const res = await api
          .http()
          .post('/api/v1/users')
          .set(await as(user))
          .send(body)
          .expect(403);
        expect(res.body.status).toBe(403);
        const { rows } = await api.pool.query(`SELECT 1 FROM users WHERE email = $1`, [body.email]);
        expect(rows).toHaveLength(0);
      }
    });
  });

  describe('GET /api/v1/users/{id}', () => {
    it('answers a user with an ETag', async () => {
      const res = await api
        .http()
        .get(`/api/v1/users/${kentViewer.id}`)
        .set(await as(admin))
        .expect(200);
      expect(res.headers.etag).toBe(`"${res.body.version}"`);
      expect(res.body).toMatchObject({ id: kentViewer.id, email: kentViewer.email, role: 'viewer' });
      expectNoPasswordHash(res.body);
    });

    it('answers 404 for a user outside your scope, and for an unknown id', async () => {
      await api
        .http()
        .get(`/api/v1/users/${surreyManager.id}`)
        .set(await as(kentManager))
        .expect(404);
      await api
        .http()
        .get(`/api/v1/users/${admin.id}`)
        .set(await as(kentViewer))
        .expect(404);
      await api
        .http()
        .get(`/api/v1/users/${kentManager.id}`)
        .set(await as(performanceManager))
        .expect(404);
      await api
        .http()
        .get(`/api/v1/users/${randomUUID()}`)
        .set(await as(admin))
        .expect(404);
    });

    it('answers 400 naming id for a malformed id', async () => {
      const res = await api
        .http()
        .get('/api/v1/users/not-a-uuid')
        .set(await as(admin))
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    });
  });

  describe('PATCH /api/v1/users/{id}', () => {
    async function created(overrides: Record<string, unknown> = {}) {
      const res = await api
        .http()
        .post('/api/v1/users')
        .set(await as(admin))
        .send(newUser(overrides))
        .expect(201);
      return { id: res.body.id as string, etag: res.headers.etag as string };
    }

    it('changes a user and answers the new version in the ETag', async () => {
      const user = await created();
      const res = await api
        .http()
        .patch(`/api/v1/users/${user.id}`)
        .set(await as(admin))
        .set('If-Match', user.etag)
        .send({ name: 'Assistant Chief Officer', role: 'viewer' })
        .expect(200);
      expect(res.body).toMatchObject({ name: 'Assistant Chief Officer', role: 'viewer', organisationId: kent.id });
      expect(res.headers.etag).toBe(`"${res.body.version}"`);
      expect(res.headers.etag).not.toBe(user.etag);
      expectNoPasswordHash(res.body);
    });

    it('needs If-Match: 428 when missing and nothing changes', async () => {
      const user = await created();
      const res = await api
        .http()
        .patch(`/api/v1/users/${user.id}`)
        .set(await as(admin))
        .send({ name: 'Changed without If-Match' })
        .expect(428);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const after = await api
        .http()
        .get(`/api/v1/users/${user.id}`)
        .set(await as(admin))
        .expect(200);
      expect(after.body.name).toBe('Head of Public Protection');
      expect(after.headers.etag).toBe(user.etag);
    });

    it('refuses a stale If-Match with 412 and nothing changes', async () => {
      const user = await created();
      await api
        .http()
        .patch(`/api/v1/users/${user.id}`)
        .set(await as(admin))
        .set('If-Match', user.etag)
        .send({ name: 'First change' })
        .expect(200);
      for (const stale of [user.etag, '"999"', 'garbage', `W/${user.etag}`]) {
        await api
          .http()
          .patch(`/api/v1/users/${user.id}`)
          .set(await as(admin))
          .set('If-Match', stale)
          .send({ name: 'Second change', active: false })
          .expect(412);
      }
      const after = await api
        .http()
        .get(`/api/v1/users/${user.id}`)
        .set(await as(admin))
        .expect(200);
      expect(after.body).toMatchObject({ name: 'First change', active: true });
    });

    it('refuses an email in use by another user, whatever its case, with 409 naming email', async () => {
      const user = await created();
      const res = await api
        .http()
        .patch(`/api/v1/users/${user.id}`)
        .set(await as(admin))
        .set('If-Match', user.etag)
        .send({ email: kentViewer.email.toUpperCase() })
        .expect(409);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
    });

    it('refuses making a user a senior manager without an organisation with 422 naming organisationId', async () => {
      const user = await created({ role: 'performance_manager', organisationId: null });
      const res = await api
        .http()
        .patch(`/api/v1/users/${user.id}`)
        .set(await as(admin))
        .set('If-Match', user.etag)
        .send({ role: 'senior_manager' })
        .expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'organisationId' })]);
      const after = await api
        .http()
        .get(`/api/v1/users/${user.id}`)
        .set(await as(admin))
        .expect(200);
      expect(after.body.role).toBe('performance_manager');
    });

    it('refuses moving an owner of open actions away from their organisation, naming the field changed', async () => {
      const world = await api.factories.world();
      const current = await api
        .http()
        .get(`/api/v1/users/${world.manager.id}`)
        .set(await as(admin))
        .expect(200);
      const toViewer = await api
        .http()
        .patch(`/api/v1/users/${world.manager.id}`)
        .set(await as(admin))
        .set('If-Match', current.headers.etag)
        .send({ role: 'viewer' })
        .expect(422);
      expect(toViewer.body).toMatchObject({ rule: 'owner-has-open-actions', errors: [{ field: 'role' }] });
      const toSurrey = await api
        .http()
        .patch(`/api/v1/users/${world.manager.id}`)
        .set(await as(admin))
        .set('If-Match', current.headers.etag)
        .send({ organisationId: surrey.id })
        .expect(422);
      expect(toSurrey.body).toMatchObject({ rule: 'owner-has-open-actions', errors: [{ field: 'organisationId' }] });
      const after = await api
        .http()
        .get(`/api/v1/users/${world.manager.id}`)
        .set(await as(admin))
        .expect(200);
      expect(after.body).toMatchObject({ role: 'senior_manager', organisationId: world.organisation.id });
      expect(after.headers.etag).toBe(current.headers.etag);
    });

    it('refuses an admin disabling themselves with a 422 rule, and their token keeps working', async () => {
      const self = await api.factories.user({ role: 'admin' });
      const current = await api
        .http()
        .get(`/api/v1/users/${self.id}`)
        .set(await as(self))
        .expect(200);
      const res = await api
        .http()
        .patch(`/api/v1/users/${self.id}`)
        .set(await as(self))
        .set('If-Match', current.headers.etag)
        .send({ active: false })
        .expect(422);
      expect(res.body).toMatchObject({ rule: expect.any(String), errors: [{ field: 'active' }] });
      await api
        .http()
        .get('/api/v1/me')
        .set(await as(self))
        .expect(200);
    });

    it('is for admins only: other roles get 403 and nothing changes', async () => {
      const user = await created();
      for (const caller of [performanceManager, kentManager, kentViewer]) {
        await api
          .http()
          .patch(`/api/v1/users/${user.id}`)
          .set(await as(caller))
          .set('If-Match', user.etag)
          .send({ name: 'Not allowed' })
          .expect(403);
      }
      const after = await api
        .http()
        .get(`/api/v1/users/${user.id}`)
        .set(await as(admin))
        .expect(200);
      expect(after.headers.etag).toBe(user.etag);
    });
  });

  describe('PUT /api/v1/users/{id}/portfolio', () => {
    it("sets a performance manager's portfolio, which then decides what they see", async () => {
      const pm = await api.factories.user({ role: 'performance_manager' });
      const before = await api
        .http()
        .get(`/api/v1/users/${kentManager.id}`)
        .set(await as(pm));
      expect(before.status).toBe(404);

      const res = await api
        .http()
        .put(`/api/v1/users/${pm.id}/portfolio`)
        .set(await as(admin))
        .send({ organisationIds: [kent.id, surrey.id, kent.id] })
        .expect(200);
      expect(res.headers.etag).toBe(`"${res.body.version}"`);
      expect([...res.body.portfolioOrganisationIds].sort()).toEqual([kent.id, surrey.id].sort());

      await api
        .http()
        .get(`/api/v1/users/${kentManager.id}`)
        .set(await as(pm))
        .expect(200);

      const emptied = await api
        .http()
        .put(`/api/v1/users/${pm.id}/portfolio`)
        .set(await as(admin))
        .send({ organisationIds: [] })
        .expect(200);
      expect(emptied.body.portfolioOrganisationIds).toEqual([]);
    });

    it('refuses a portfolio for anyone but a performance manager with a 422 rule', async () => {
      const res = await api
        .http()
        .put(`/api/v1/users/${kentManager.id}/portfolio`)
        .set(await as(admin))
        .send({ organisationIds: [surrey.id] })
        .expect(422);
      expect(res.body).toMatchObject({ status: 422, rule: expect.any(String) });
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'organisationIds' })]);
      const { rows } = await api.pool.query(`SELECT 1 FROM portfolios WHERE user_id = $1`, [kentManager.id]);
      expect(rows).toHaveLength(0);
    });

    it('refuses unknown organisation ids with 422 and keeps the portfolio', async () => {
      const res = await api
        .http()
        .put(`/api/v1/users/${performanceManager.id}/portfolio`)
        .set(await as(admin))
        .send({ organisationIds: [kent.id, randomUUID()] })
        .expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'organisationIds' })]);
      const after = await api
        .http()
        .get(`/api/v1/users/${performanceManager.id}`)
        .set(await as(admin))
        .expect(200);
      expect(after.body.portfolioOrganisationIds).toEqual([surrey.id]);
    });

    it('refuses malformed ids with 400', async () => {
      const res = await api
        .http()
        .put(`/api/v1/users/${performanceManager.id}/portfolio`)
        .set(await as(admin))
        .send({ organisationIds: ['kent'] })
        .expect(400);
      expect(res.body.errors[0].field).toMatch(/^organisationIds/);
    });

    it('is for admins only: a performance manager cannot widen their own portfolio', async () => {
      await api
        .http()
        .put(`/api/v1/users/${performanceManager.id}/portfolio`)
        .set(await as(performanceManager))
        .send({ organisationIds: [kent.id, surrey.id] })
        .expect(403);
      await api
        .http()
        .put(`/api/v1/users/${performanceManager.id}/portfolio`)
        .set(await as(kentManager))
        .send({ organisationIds: [kent.id] })
        .expect(403);
      const { rows } = await api.pool.query(`SELECT organisation_id FROM portfolios WHERE user_id = $1`, [
        performanceManager.id,
      ]);
      expect(rows).toEqual([{ organisation_id: surrey.id }]);
    });
  });

  describe('GET /api/v1/users', () => {
    it('shows an admin everyone', async () => {
      const ids = await allIds(admin);
      const { rows } = await api.pool.query(`SELECT id FROM users`);
      expect(ids.sort()).toEqual(rows.map((r) => r.id).sort());
    });

    it("shows a senior manager only their organisation's users and themselves", async () => {
      const ids = await allIds(kentManager);
      const { rows } = await api.pool.query(`SELECT id FROM users WHERE organisation_id = $1`, [kent.id]);
      expect(ids.sort()).toEqual(rows.map((r) => r.id).sort());
      expect(ids).toContain(kentManager.id);
      expect(ids).toContain(kentViewer.id);
      expect(ids).not.toContain(surreyManager.id);
      expect(ids).not.toContain(admin.id);
    });

    it('shows a performance manager the users of their portfolio organisations and themselves', async () => {
      const ids = await allIds(performanceManager);
      const { rows } = await api.pool.query(`SELECT id FROM users WHERE organisation_id = $1`, [surrey.id]);
      expect(ids.sort()).toEqual([...rows.map((r) => r.id), performanceManager.id].sort());
      expect(ids).not.toContain(kentManager.id);
    });

    it('filters by role and organisation', async () => {
      const viewers = await allIds(admin, `&role=viewer&organisationId=${kent.id}`);
      const { rows } = await api.pool.query(`SELECT id FROM users WHERE role = 'viewer' AND organisation_id = $1`, [
        kent.id,
      ]);
      expect(viewers.sort()).toEqual(rows.map((r) => r.id).sort());
      expect(viewers).toContain(kentViewer.id);
    });

    it('filters by active', async () => {
      const disabled = await api.factories.user({ role: 'viewer', organisationId: kent.id, active: false });
      const inactive = await allIds(admin, '&active=false');
      const { rows } = await api.pool.query(`SELECT id FROM users WHERE NOT active`);
      expect(inactive.sort()).toEqual(rows.map((r) => r.id).sort());
      expect(inactive).toContain(disabled.id);
      expect(await allIds(admin, '&active=true')).not.toContain(disabled.id);
    });

    it('walks every page with nextCursor, without repeats or gaps, sorted by name', async () => {
      for (let i = 0; i < 5; i++)
        await api.factories.user({ role: 'viewer', organisationId: surrey.id, name: 'Same Name' });
      const { rows: ordered } = await api.pool.query(`SELECT id FROM users ORDER BY name, id`);
      const seen: { id: string; name: string }[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Response = await api
          .http()
          .get(`/api/v1/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          .set(await as(admin))
          .expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items);
        res.body.items.forEach(expectNoPasswordHash);
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      expect(cursor).toBeNull();
      expect(seen.map((u) => u.id)).toEqual(ordered.map((r) => r.id));
      expect(pages).toBe(Math.ceil(ordered.length / 2));
    });

    it('refuses a limit out of range and a tampered cursor', async () => {
      for (const q of ['limit=0', 'limit=201', 'limit=ten']) {
        const res = await api
          .http()
          .get(`/api/v1/users?${q}`)
          .set(await as(admin))
          .expect(400);
        expect(res.body.errors.length).toBeGreaterThan(0);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(res.body.errors.map(() => 'limit'));
      }
      const res = await api
        .http()
        .get('/api/v1/users?cursor=bm90LWEtY3Vyc29y')
        .set(await as(admin));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    });

    it('never shows a password hash', async () => {
      const res = await api
        .http()
        .get('/api/v1/users?limit=200')
        .set(await as(admin))
        .expect(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expectNoPasswordHash(res.body);
    });
  });
});
