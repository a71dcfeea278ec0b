import { Queue } from 'bullmq';
import { QueueName, redisOptions } from '@rt/jobs';
import { ApiHarness, startApi } from './api-harness';
import { ageWebSessions, removeWebKeys, WebClient } from './web-harness';

/** Admin: the queue dashboard (bull-board) at /admin/queues, its page, its API and its files, for admins only. */
describe('web admin: the queue dashboard', () => {
  let api: ApiHarness;
  let admin: WebClient;
  const others: Record<string, WebClient> = {};
  let stylesheet: string;

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const world = await api.factories.world();
    admin = new WebClient(api);
    await admin.signIn(await api.factories.user({ role: 'admin' }));
    const users = {
      'performance manager': await api.factories.user({
        role: 'performance_manager',
        portfolio: [world.organisation.id],
      }),
      'senior manager': world.manager,
      viewer: world.viewer,
    };
    for (const [who, user] of Object.entries(users)) {
      others[who] = new WebClient(api);
      await others[who].signIn(user);
    }
    // A job waiting for the worker, under this API's queue prefix.
    const queue = new Queue(QueueName.Reminders, {
      connection: redisOptions(api.config.redisUrl),
      prefix: api.config.queuePrefix,
    });
    await queue.add('run', { asOf: '2026-03-02T07:00:00Z' }, { jobId: 'waiting-run' });
    await queue.close();
    stylesheet = /href="(static\/css\/[^"]+\.css)"/.exec((await admin.get('/admin/queues')).text)![1];
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  it('shows an admin the board, under a policy allowing its inline styles and no inline script', async () => {
    const res = await admin.get('/admin/queues');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('<base href="/admin/queues/" />');
    expect(res.text).toContain('<title>Recommendation Tracker jobs</title>');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
    // Our own pages keep theirs: no inline styles, scripts by nonce.
    const page = await admin.get('/admin');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[0-9a-f]+';style-src 'self';/);
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect((await admin.get('/admin/queues/queue/reminders')).status).toBe(200);
    expect((await admin.get(`/admin/queues/${stylesheet}`)).status).toBe(200);
  });

  it('lists our queues, read only, in its API', async () => {
    const res = await admin.get('/admin/queues/api/queues?activeQueue=reminders&status=waiting');
    expect(res.status).toBe(200);
    const queues = res.body.queues as { name: string; readOnlyMode: boolean; counts: Record<string, number> }[];
    expect(queues.map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());
    expect(queues.every((q) => q.readOnlyMode)).toBe(true);
    expect(queues.find((q) => q.name === 'reminders')!.counts.waiting).toBe(1);

    const pause = await admin.agent.put('/admin/queues/api/queues/reminders/pause');
    expect(pause.status).toBe(405);
    const queue = new Queue(QueueName.Reminders, {
      connection: redisOptions(api.config.redisUrl),
      prefix: api.config.queuePrefix,
    });
    expect(await queue.isPaused()).toBe(false);
    await queue.close();
  });

  it.each(['performance manager', 'senior manager', 'viewer'])(
    'answers a %s with the 404 page on the board, its API and its files',
    async (who) => {
      for (const path of [
        '/admin/queues',
        '/admin/queues/queue/reminders',
        '/admin/queues/api/queues',
        `/admin/queues/${stylesheet}`,
      ]) {
        const res = await others[who].get(path);
        expect([path, res.status]).toEqual([path, 404]);
        expect(res.text).toContain('Page not found');
        expect(res.text).not.toContain('reminders');
      }
      const put = await others[who].agent.put('/admin/queues/api/queues/reminders/pause');
      expect(put.status).toBe(404);
    },
  );

  it('sends someone signed out to sign in', async () => {
    const client = new WebClient(api);
    for (const path of ['/admin/queues', '/admin/queues/api/queues', `/admin/queues/${stylesheet}`]) {
      const res = await client.get(path);
      expect([path, res.status, res.headers.location]).toEqual([
        path,
        303,
        `/sign-in?returnTo=${encodeURIComponent(path)}`,
      ]);
    }
  });

  // Runs last: it ages every session of this test.
  it('does not count the board’s polling as activity for the idle timeout', async () => {
    const idleMs = api.config.webSessionIdleMinutes * 60_000;
    await ageWebSessions(api.config, idleMs - 60_000);
    expect((await admin.get('/admin/queues/api/queues')).status).toBe(200);
    await ageWebSessions(api.config, 2 * 60_000);
    const res = await admin.get('/admin/queues');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent('/admin/queues')}`);
  });
});
