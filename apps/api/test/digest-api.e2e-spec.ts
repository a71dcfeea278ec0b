import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { QueueName, redisOptions } from '@rt/jobs';
import { ApiHarness, startApi } from './api-harness';

type User = { id: string; email: string; password: string };

/** The weekly digest through the API: users' weeklyDigest (admins, and each user for themselves) and running it now. */
describe('weekly digest API', () => {
  let api: ApiHarness;
  let admin: User;
  let pm: User;
  let organisationId: string;

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-09' });
    admin = await api.factories.user({ role: 'admin' });
    organisationId = (await api.factories.organisation()).id;
    pm = await api.factories.user({ role: 'performance_manager', portfolio: [organisationId] });
  });
  afterAll(async () => {
    // The run requests below left jobs under this API's prefix (no worker takes them here).
    const connection = redisOptions(api.config.redisUrl);
    for (const name of Object.values(QueueName)) {
      const queue = new Queue(name, { connection, prefix: api.config.queuePrefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await api.close();
  });

  const as = async (user: { email: string }) => ({ Authorization: `Bearer ${await api.tokenFor(user)}` });
  const fields = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);
  const stored = async (id: string) =>
    (await api.pool.query(`SELECT weekly_digest FROM users WHERE id = $1`, [id])).rows[0].weekly_digest;

  describe("users' weeklyDigest", () => {
    it('is on by default, shown on every user, and can be off from the start', async () => {
      const me = await api
        .http()
        .get('/api/v1/me')
        .set(await as(pm))
        .expect(200);
      expect(me.body.weeklyDigest).toBe(true);
      const created = await api
        .http()
        .post('/api/v1/users')
        .set(await as(admin))
        .send({
          email: `pm.${randomUUID()}@example.org`,
          name: 'Account Manager, CRCs',
          role: 'performance_manager',
          password: 'a-long-enough-password',
          weeklyDigest: false,
        })
        .expect(201);
      expect(created.body.weeklyDigest).toBe(false);
      expect(await stored(created.body.id)).toBe(false);
      const list = await api
        .http()
        .get('/api/v1/users')
        .set(await as(admin))
        .expect(200);
      expect(list.body.items.every((u: { weeklyDigest: unknown }) => typeof u.weeklyDigest === 'boolean')).toBe(true);
    });

    it('is changed by an admin through PATCH /users/{id}, with If-Match', async () => {
      const headers = await as(admin);
      const read = await api.http().get(`/api/v1/users/${pm.id}`).set(headers).expect(200);
      await api.http().patch(`/api/v1/users/${pm.id}`).set(headers).send({ weeklyDigest: false }).expect(428);
      const off = await api
        .http()
        .patch(`/api/v1/users/${pm.id}`)
        .set(headers)
        .set('If-Match', read.headers.etag)
        .send({ weeklyDigest: false })
        .expect(200);
      expect(off.body).toMatchObject({ id: pm.id, weeklyDigest: false, reminderDelivery: 'immediate' });
      expect(await stored(pm.id)).toBe(false);
      // Another change leaves it as it is.
      const renamed = await api
        .http()
        .patch(`/api/v1/users/${pm.id}`)
        .set(headers)
        .set('If-Match', off.headers.etag)
        .send({ name: 'NOMS Performance Manager, South East' })
        .expect(200);
      expect(renamed.body.weeklyDigest).toBe(false);
      const on = await api
        .http()
        .patch(`/api/v1/users/${pm.id}`)
        .set(headers)
        .set('If-Match', renamed.headers.etag)
        .send({ weeklyDigest: true })
        .expect(200);
      expect(on.body.weeklyDigest).toBe(true);
    });

    it('is changed by the user themself through PATCH /me, with If-Match', async () => {
      const headers = await as(pm);
      const me = await api.http().get('/api/v1/me').set(headers).expect(200);
      const off = await api
        .http()
        .patch('/api/v1/me')
        .set(headers)
        .set('If-Match', me.headers.etag)
        .send({ weeklyDigest: false })
        .expect(200);
      expect(off.body).toMatchObject({ id: pm.id, weeklyDigest: false, reminderDelivery: 'immediate' });
      expect(off.headers.etag).toBe(`"${me.body.version + 1}"`);
      expect(await stored(pm.id)).toBe(false);
      await api
        .http()
        .patch('/api/v1/me')
        .set(headers)
        .set('If-Match', me.headers.etag)
        .send({ weeklyDigest: true })
        .expect(412);
      const both = await api
        .http()
        .patch('/api/v1/me')
        .set(headers)
        .set('If-Match', off.headers.etag)
        .send({ weeklyDigest: true, reminderDelivery: 'weekly' })
        .expect(200);
      expect(both.body).toMatchObject({ weeklyDigest: true, reminderDelivery: 'weekly' });
    });

    it('cannot be changed for someone else by a non-admin (403)', async () => {
      const other = await api.factories.user({ role: 'performance_manager', portfolio: [organisationId] });
      await api
        .http()
        .patch(`/api/v1/users/${other.id}`)
        .set(await as(pm))
        .set('If-Match', '"1"')
        .send({ weeklyDigest: false })
        .expect(403);
      expect(await stored(other.id)).toBe(true);
    });

    it.each([['no'], [null], [0]])('answers 400 naming weeklyDigest for %j', async (value) => {
      const headers = await as(pm);
      const me = await api.http().get('/api/v1/me').set(headers).expect(200);
      const res = await api
        .http()
        .patch('/api/v1/me')
        .set(headers)
        .set('If-Match', me.headers.etag)
        .send({ weeklyDigest: value })
        .expect(400);
      expect(fields(res)).toContain('weeklyDigest');
      const read = await api
        .http()
        .get(`/api/v1/users/${pm.id}`)
        .set(await as(admin))
        .expect(200);
      const byAdmin = await api
        .http()
        .patch(`/api/v1/users/${pm.id}`)
        .set(await as(admin))
        .set('If-Match', read.headers.etag)
        .send({ weeklyDigest: value })
        .expect(400);
      expect(fields(byAdmin)).toContain('weeklyDigest');
    });
  });

  describe('POST /api/v1/jobs/digest/run', () => {
    it("accepts an admin's run (202 {jobId}) and reports its state", async () => {
      const res = await api
        .http()
        .post('/api/v1/jobs/digest/run')
        .set(await as(admin))
        .send({ asOf: '2026-03-09T07:00:00Z' })
        .expect(202);
      expect(res.body).toEqual({ jobId: expect.stringMatching(/^digest-run-[0-9a-f-]{36}$/) });
      const state = await api
        .http()
        .get(`/api/v1/jobs/digest/run/${res.body.jobId}`)
        .set(await as(admin))
        .expect(200);
      // No worker runs here: the job waits.
      expect(state.body).toEqual({ jobId: res.body.jobId, state: 'waiting', result: null, failedReason: null });
      const now = await api
        .http()
        .post('/api/v1/jobs/digest/run')
        .set(await as(admin))
        .send({})
        .expect(202);
      expect(now.body.jobId).not.toBe(res.body.jobId);
    });

    it('is refused to everyone but admins (403)', async () => {
      const manager = await api.factories.user({ role: 'senior_manager', organisationId });
      for (const user of [pm, manager]) {
        await api
          .http()
          .post('/api/v1/jobs/digest/run')
          .set(await as(user))
          .send({})
          .expect(403);
        await api
          .http()
          .get(`/api/v1/jobs/digest/run/digest-run-${randomUUID()}`)
          .set(await as(user))
          .expect(403);
      }
    });

    it.each([['monday'], ['2026-02-30T07:00:00Z'], [null], [20260309]])(
      'answers 400 naming asOf for asOf %j',
      async (asOf) => {
        const res = await api
          .http()
          .post('/api/v1/jobs/digest/run')
          .set(await as(admin))
          .send({ asOf })
          .expect(400);
        expect(fields(res)).toContain('asOf');
      },
    );

    it('answers 404 for a run it does not know', async () => {
      for (const jobId of [`digest-run-${randomUUID()}`, 'nope', 'digest-tick']) {
        await api
          .http()
          .get(`/api/v1/jobs/digest/run/${jobId}`)
          .set(await as(admin))
          .expect(404);
      }
    });
  });
});
