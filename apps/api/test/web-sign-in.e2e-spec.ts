import { TEST_PASSWORD } from '@rt/testing';
import { ApiHarness, startApi } from './api-harness';
import { ageWebSessions, csrfOf, removeWebKeys, WebClient } from './web-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;

describe('web: sign in, sessions and security', () => {
  let api: ApiHarness;
  let world: World;

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02', env: { WEB_SESSION_IDLE_MINUTES: '5' } });
    world = await api.factories.world({ dueDate: '2026-02-20' });
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  it('sends a visitor who is not signed in to sign in, remembering the page', async () => {
    const res = await new WebClient(api).get(`/actions/${world.action.id}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(`/actions/${world.action.id}`)}`);
  });

  it('shows a GOV.UK sign-in page with its layout, CSRF token, CSP nonce and security headers', async () => {
    const res = await new WebClient(api).get('/sign-in');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<h1 class="govuk-heading-l">Sign in</h1>');
    expect(res.text).toContain('Recommendation Tracker');
    expect(res.text).toContain('govuk-phase-banner');
    expect(res.text).toContain('href="#main-content"');
    expect(res.text).toContain('govuk-footer');
    expect(csrfOf(res.text)).toMatch(/.{20,}/);

    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([0-9a-f]{32})'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain("'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    // The only inline script is GOV.UK's, carrying this response's nonce.
    const inline = [...res.text.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    expect(inline).toEqual([` nonce="${nonce}"`]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['cache-control']).toBe('no-store');

    const again = await new WebClient(api).get('/sign-in');
    expect(String(again.headers['content-security-policy'])).not.toContain(nonce);
  });

  it('signs in with a new session id (HttpOnly, SameSite=Lax) and goes to the page asked for', async () => {
    const client = new WebClient(api);
    const before = await client.get('/sign-in');
    const anonymous = String(before.headers['set-cookie']).match(/rt_session=([^;]+)/)?.[1];
    const res = await client.signIn(world.manager, `/actions/${world.action.id}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/actions/${world.action.id}`);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/rt_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toContain(anonymous);
    const page = await client.get(`/actions/${world.action.id}`);
    expect(page.status).toBe(200);
  });

  it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)'])(
    'never redirects off the site after sign-in (returnTo %s)',
    async (returnTo) => {
      const res = await new WebClient(api).signIn(world.manager, returnTo);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
    },
  );

  it('refuses a wrong password with a GOV.UK error summary, keeping the email', async () => {
    const res = await new WebClient(api).signIn({ email: world.viewer.email, password: 'wrong password' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('govuk-error-summary');
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('<a href="#email">Enter a correct email address and password</a>');
    expect(res.text).toContain(`value="${world.viewer.email}"`);
    expect(res.text).toContain('<title>Error: Sign in');
  });

  it('names each missing field', async () => {
    const res = await new WebClient(api).submit('/sign-in', { email: '', password: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<a href="#email">Enter your email address</a>');
    expect(res.text).toContain('<a href="#password">Enter your password</a>');
  });

  it('locks an email after 5 failures in 15 minutes, with the same message whether or not it exists', async () => {
    const user = await api.factories.user({ role: 'senior_manager', organisationId: world.organisation.id });
    for (const email of [user.email, 'nobody.here@example.org']) {
      const client = new WebClient(api);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await client.signIn({ email, password: 'wrong' })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
      const locked = await client.signIn({ email, password: TEST_PASSWORD });
      expect(locked.status).toBe(429);
      expect(locked.text).toContain('too many times. Wait 15 minutes, then try again');
    }
    // Another email is not affected.
    expect((await new WebClient(api).signIn(world.manager)).status).toBe(303);
  });

  it('refuses a form without a valid CSRF token, changing nothing', async () => {
    const client = new WebClient(api);
    await client.signIn(world.manager);
    const page = await client.get(`/actions/${world.action.id}`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    const fields = { version, status: 'in_progress', progress: '10', comment: 'forged' };
    for (const token of [undefined, 'not-a-token']) {
      const res = await client.agent
        .post(`/actions/${world.action.id}`)
        .type('form')
        .send(token ? { ...fields, _csrf: token } : fields);
      expect(res.status).toBe(403);
      expect(res.text).toContain('The form has expired');
    }
    // A token from another session is no good either.
    const other = new WebClient(api);
    const otherToken = csrfOf((await other.get('/sign-in')).text);
    const res = await client.agent
      .post(`/actions/${world.action.id}`)
      .type('form')
      .send({ ...fields, _csrf: otherToken });
    expect(res.status).toBe(403);
    const { rows } = await api.pool.query('SELECT status FROM actions WHERE id = $1', [world.action.id]);
    expect(rows[0].status).toBe('not_started');
  });

  it('signs out, ending the session', async () => {
    const client = new WebClient(api);
    await client.signIn(world.manager);
    const res = await client.submit('/sign-out', {}, '/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
    expect((await client.get('/')).status).toBe(303);
  });

  it('ends a session left idle longer than WEB_SESSION_IDLE_MINUTES', async () => {
    const client = new WebClient(api);
    await client.signIn(world.manager);
    expect((await client.get('/')).status).toBe(200);
    // Six minutes pass without a request (the test's idle timeout is five).
    await ageWebSessions(api.config, 6 * 60_000);
    const res = await client.get('/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
    // The session is gone, not merely refused once.
    await ageWebSessions(api.config, -6 * 60_000);
    expect((await client.get('/')).status).toBe(303);
  });

  it("answers unknown pages with a GOV.UK 404 page, with the pages' security headers", async () => {
    for (const path of ['/no-such-page', '/actions/1/2/3', '/admin/nothing']) {
      const res = await new WebClient(api).get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.text).toContain('Page not found');
      expect(res.text).toContain('govuk-template');
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[0-9a-f]+'/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
    const posted = await api.http().post('/no-such-page').type('form').send({ a: 'b' });
    expect(posted.status).toBe(404);
    expect(posted.text).toContain('Page not found');
  });

  it('leaves the JSON API as it was: no cookies, no page headers, problem+json, forms refused', async () => {
    const token = await api.tokenFor(world.manager);
    const res = await api.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['content-security-policy']).toBeUndefined();
    const missing = await api.http().get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.headers['content-security-policy']).toBeUndefined();
    const posted = await api.http().post('/api/v1/nothing/here').type('form').send({ a: 'b' });
    expect(posted.status).toBe(404);
    expect(posted.headers['content-type']).toMatch(/application\/problem\+json/);
    const form = await api
      .http()
      .post('/api/v1/auth/token')
      .type('form')
      .send({ email: world.manager.email, password: TEST_PASSWORD });
    expect(form.status).toBe(415);
  });

  it('serves its stylesheet (GOV.UK Frontend and the MoJ components it uses) and scripts', async () => {
    for (const path of ['/assets/web/application.css', '/assets/govuk/govuk-frontend.min.js', '/assets/web/init.js']) {
      expect([path, (await api.http().get(path)).status]).toEqual([path, 200]);
    }
    const css = (await api.http().get('/assets/web/application.css')).text;
    expect(css).toContain('.govuk-error-summary');
    expect(css).toContain('.moj-timeline');
    expect(css).toContain('.moj-sub-navigation');
    // An internal service: no GDS Transport (GOV.UK's own typeface, for GOV.UK only), so no font downloads.
    expect(css).not.toContain('@font-face');
    const favicon = await api.http().get('/assets/images/favicon.ico');
    expect(favicon.status).toBe(200);
    expect(favicon.headers['x-content-type-options']).toBe('nosniff');
  });

  it('compresses pages and their files for browsers that ask, never the JSON API', async () => {
    const page = await api.http().get('/sign-in').set('Accept-Encoding', 'gzip');
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(page.text).toContain('Sign in');
    const css = await api.http().get('/assets/web/application.css').set('Accept-Encoding', 'br, gzip');
    expect(css.headers['content-encoding']).toBe('br');
    const plain = await api.http().get('/sign-in').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const health = await api.http().get('/health').set('Accept-Encoding', 'gzip');
    expect(health.headers['content-encoding']).toBeUndefined();
    const json = await api
      .http()
      .post('/api/v1/auth/token')
      .set('Accept-Encoding', 'gzip')
      .send({ email: world.manager.email, password: 'not the password' });
    expect(json.status).toBe(401);
    expect(json.headers['content-encoding']).toBeUndefined();
  });
});
