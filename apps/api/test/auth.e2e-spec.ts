import { JwtService } from '@nestjs/jwt';
import { testConfig } from '@rt/testing';
import { createApiApp } from '../src/api-app';
import { ApiHarness, startApi } from './api-harness';

const ADMIN_EMAIL = 'first.admin@example.org';
const ADMIN_PASSWORD = 'first admin password 2014';

describe('auth API', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    // An empty database with ADMIN_EMAIL/ADMIN_PASSWORD set: the first admin is created at start.
    api = await startApi({ env: { ADMIN_EMAIL, ADMIN_PASSWORD } });
  });
  afterAll(() => api.close());

  const signIn = (email: string, password: string) => api.http().post('/api/v1/auth/token').send({ email, password });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const adminToken = () => api.tokenFor({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });

  function expectUnauthenticated(res: { status: number; headers: Record<string, string>; body: unknown }) {
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized', type: expect.any(String) });
  }

  async function patchUser(id: string, body: Record<string, unknown>) {
    const current = await api
      .http()
      .get(`/api/v1/users/${id}`)
      .set(bearer(await adminToken()))
      .expect(200);
    return api
      .http()
      .patch(`/api/v1/users/${id}`)
      .set(bearer(await adminToken()))
      .set('If-Match', current.headers.etag)
      .send(body)
      .expect(200);
  }

  describe('the first admin', () => {
    it('is created from ADMIN_EMAIL and ADMIN_PASSWORD on an empty database and can sign in', async () => {
      const res = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD).expect(200);
      const me = await api.http().get('/api/v1/me').set(bearer(res.body.accessToken)).expect(200);
      expect(me.body).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', active: true, organisationId: null });
    });

    it('is not created again when the database already has users', async () => {
      const { rows: before } = await api.pool.query(`SELECT id FROM users ORDER BY id`);
      const config = testConfig({
        DATABASE_URL: api.database.url,
        ADMIN_EMAIL: 'second.admin@example.org',
        ADMIN_PASSWORD: 'second admin password 2014',
      });
      const second = await createApiApp(config);
      await second.close();
      const { rows: after } = await api.pool.query(`SELECT id FROM users ORDER BY id`);
      expect(after).toEqual(before);
      const { rows } = await api.pool.query(`SELECT 1 FROM users WHERE email = 'second.admin@example.org'`);
      expect(rows).toHaveLength(0);
    });
  });

  describe('POST /api/v1/auth/token', () => {
    it('answers a bearer token with its lifetime', async () => {
      const user = await api.factories.user({ role: 'admin' });
      const res = await signIn(user.email, user.password).expect(200);
      expect(res.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        tokenType: 'Bearer',
        expiresIn: api.config.tokenTtlSeconds,
      });
      expect(res.body.expiresIn).toBeGreaterThan(0);
    });

    it('matches the email whatever its case', async () => {
      const user = await api.factories.user({ role: 'performance_manager', email: 'Mixed.Case.Person@Example.org' });
      const res = await signIn('mixed.case.PERSON@example.ORG', user.password).expect(200);
      const me = await api.http().get('/api/v1/me').set(bearer(res.body.accessToken)).expect(200);
      expect(me.body.id).toBe(user.id);
    });

    it('gives the same 401 for a wrong password and for an unknown email', async () => {
      const user = await api.factories.user({ role: 'performance_manager' });
      const wrongPassword = await signIn(user.email, 'not the right password at all');
      const unknownEmail = await signIn('nobody.here@example.org', 'not the right password at all');
      expectUnauthenticated(wrongPassword);
      expectUnauthenticated(unknownEmail);
      expect(wrongPassword.body).not.toHaveProperty('accessToken');
      const { instance: _a, ...wrong } = wrongPassword.body;
      const { instance: _b, ...unknown } = unknownEmail.body;
      expect(wrong).toEqual(unknown);
      expect(wrongPassword.headers['www-authenticate']).toBe(unknownEmail.headers['www-authenticate']);
    });

    it('refuses a disabled user with the same answer as a wrong password', async () => {
      const user = await api.factories.user({ role: 'performance_manager', active: false });
      const disabled = await signIn(user.email, user.password);
      const unknown = await signIn('nobody.else@example.org', user.password);
      expectUnauthenticated(disabled);
      expect(disabled.body.detail).toBe(unknown.body.detail);
    });

    it('refuses a body without a password as a 400 naming the field', async () => {
      const res = await api.http().post('/api/v1/auth/token').send({ email: 'someone@example.org' }).expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password' })]));
    });
  });

  describe('GET /api/v1/me', () => {
    it('answers the signed-in user with an ETag and no password hash', async () => {
      const organisation = await api.factories.organisation();
      const user = await api.factories.user({ role: 'viewer', organisationId: organisation.id });
      const res = await api
        .http()
        .get('/api/v1/me')
        .set(bearer(await api.tokenFor(user)))
        .expect(200);
      expect(res.headers.etag).toMatch(/^"\d+"$/);
      expect(res.body).toMatchObject({
        id: user.id,
        email: user.email,
        role: 'viewer',
        organisationId: organisation.id,
        active: true,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/password|argon2/i);
    });

    it('refuses a request without a token', async () => {
      expectUnauthenticated(await api.http().get('/api/v1/me'));
    });

    it('refuses a garbage token and a non-bearer scheme', async () => {
      expectUnauthenticated(await api.http().get('/api/v1/me').set(bearer('not-a-token')));
      expectUnauthenticated(await api.http().get('/api/v1/me').set(bearer('aaa.bbb.ccc')));
      const user = await api.factories.user({ role: 'admin' });
      const token = await api.tokenFor(user);
      expectUnauthenticated(await api.http().get('/api/v1/me').set('Authorization', `Basic ${token}`));
    });

    it('refuses an unsigned token (alg none)', async () => {
      const user = await api.factories.user({ role: 'admin' });
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const payload = part({
        sub: user.id,
        gen: 0,
        iss: 'recommendation-tracker',
        exp: Math.floor(Date.now() / 1000) + 600,
      });
      const header = part({ alg: 'none', typ: 'JWT' });
      expectUnauthenticated(
        await api
          .http()
          .get('/api/v1/me')
          .set(bearer(`${header}.${payload}.`)),
      );
      expectUnauthenticated(
        await api
          .http()
          .get('/api/v1/me')
          .set(bearer(`${header}.${payload}.c2ln`)),
      );
    });

    it('refuses a token signed with another secret', async () => {
      const user = await api.factories.user({ role: 'admin' });
      const forged = new JwtService({ secret: 'some-other-secret-that-is-long-enough-000000' }).sign(
        { sub: user.id, gen: 0 },
        { algorithm: 'HS256', issuer: 'recommendation-tracker', expiresIn: 3600 },
      );
      expectUnauthenticated(await api.http().get('/api/v1/me').set(bearer(forged)));
    });

    it('refuses an expired token', async () => {
      const user = await api.factories.user({ role: 'admin' });
      const jwt = new JwtService({ secret: api.config.tokenSecret });
      const claims = { sub: user.id, gen: 0, iat: Math.floor(Date.now() / 1000) - 7200 };
      const expired = jwt.sign(
        { ...claims, exp: claims.iat + 60 },
        { algorithm: 'HS256', issuer: 'recommendation-tracker' },
      );
      const fresh = jwt.sign(claims, { algorithm: 'HS256', issuer: 'recommendation-tracker', expiresIn: 3600 * 4 });
      // The same claims, unexpired, are accepted: the expiry alone is what refuses the first.
      await api.http().get('/api/v1/me').set(bearer(fresh)).expect(200);
      expectUnauthenticated(await api.http().get('/api/v1/me').set(bearer(expired)));
    });
  });

  describe('revoking tokens', () => {
    it("stops a disabled user's existing token at once", async () => {
      const organisation = await api.factories.organisation();
      const user = await api.factories.user({ role: 'senior_manager', organisationId: organisation.id });
      const token = (await signIn(user.email, user.password).expect(200)).body.accessToken;
      await api.http().get('/api/v1/me').set(bearer(token)).expect(200);

      const disabled = await patchUser(user.id, { active: false });
      expect(disabled.body.active).toBe(false);

      expectUnauthenticated(await api.http().get('/api/v1/me').set(bearer(token)));
      expectUnauthenticated(await api.http().get('/api/v1/organisations').set(bearer(token)));
      expectUnauthenticated(await signIn(user.email, user.password));

      // Enabling the account again lets them sign in afresh, but the old token stays void.
      await patchUser(user.id, { active: true });
      expectUnauthenticated(await api.http().get('/api/v1/me').set(bearer(token)));
      const fresh = await signIn(user.email, user.password).expect(200);
      await api.http().get('/api/v1/me').set(bearer(fresh.body.accessToken)).expect(200);
    });

    it('voids old tokens when an admin changes the password, and the new password works', async () => {
      const user = await api.factories.user({ role: 'admin' });
      const oldToken = (await signIn(user.email, user.password).expect(200)).body.accessToken;
      await api.http().get('/api/v1/me').set(bearer(oldToken)).expect(200);

      await patchUser(user.id, { password: 'a brand new password 2026' });

      expectUnauthenticated(await api.http().get('/api/v1/me').set(bearer(oldToken)));
      expectUnauthenticated(await signIn(user.email, user.password));
      const fresh = await signIn(user.email, 'a brand new password 2026').expect(200);
      await api.http().get('/api/v1/me').set(bearer(fresh.body.accessToken)).expect(200);
    });

    it('keeps tokens working after a change that is not to the password or active flag', async () => {
      const user = await api.factories.user({ role: 'admin' });
      const token = (await signIn(user.email, user.password).expect(200)).body.accessToken;
      await patchUser(user.id, { name: 'Head of Performance' });
      const me = await api.http().get('/api/v1/me').set(bearer(token)).expect(200);
      expect(me.body.name).toBe('Head of Performance');
    });
  });
});
