import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;

/**
 * Who may open the admin pages: admins only. Everyone else, whatever they oversee, gets the 404 page (as for a
 * record outside their scope), for reading and for changing; someone signed out is sent to sign in.
 */
describe('web admin: who may open the admin pages', () => {
  let api: ApiHarness;
  let kent: World;
  let surrey: World;
  const clients: Record<string, WebClient> = {};
  let getPaths: string[];
  let postPaths: string[];
  let admin: { email: string };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const make = api.factories;
    kent = await make.world();
    surrey = await make.world();
    const pm = await make.user({ role: 'performance_manager', portfolio: [kent.organisation.id] });
    admin = await make.user({ role: 'admin' });
    const users = {
      admin,
      'performance manager overseeing the organisation': pm,
      'performance manager overseeing another': await make.user({
        role: 'performance_manager',
        portfolio: [surrey.organisation.id],
      }),
      'senior manager of the organisation': kent.manager,
      'senior manager of another': surrey.manager,
      viewer: kent.viewer,
    };
    for (const [who, user] of Object.entries(users)) {
      clients[who] = new WebClient(api);
      await clients[who].signIn(user);
    }
    const org = kent.organisation.id;
    getPaths = [
      '/admin',
      '/admin/organisations',
      '/admin/organisations/new',
      `/admin/organisations/${org}`,
      `/admin/organisations/${org}/edit`,
      '/admin/users',
      `/admin/users?organisation=${org}`,
      '/admin/users/new',
      `/admin/users/${kent.manager.id}`,
      `/admin/users/${pm.id}/portfolio`,
      '/admin/inspections',
      '/admin/inspections/new',
      `/admin/inspections/${kent.inspection.id}/edit`,
      `/admin/inspections/${kent.inspection.id}/findings`,
      '/admin/handovers',
      '/admin/handovers/new',
      '/admin/notifications',
      '/admin/settings',
      `/admin/settings/organisations/${org}`,
      '/admin/queues',
      '/admin/queues/api/queues',
    ];
    postPaths = [
      '/admin/organisations/new',
      `/admin/organisations/${org}/edit`,
      '/admin/users/new',
      `/admin/users/${kent.manager.id}`,
      `/admin/users/${kent.manager.id}/active`,
      `/admin/users/${pm.id}/portfolio`,
      '/admin/inspections/new',
      `/admin/inspections/${kent.inspection.id}/edit`,
      `/admin/inspections/${kent.inspection.id}/findings`,
      '/admin/handovers/new',
      '/admin/handovers/new/successors',
      '/admin/handovers/new/allocations',
      '/admin/handovers/new/check',
      '/admin/handovers/new/cancel',
      '/admin/settings',
      `/admin/settings/organisations/${org}`,
    ];
  });
  /** What a refused post could have changed. */
  async function snapshot() {
    const { rows } = await api.pool.query(
      `SELECT (SELECT json_agg(o ORDER BY id) FROM organisations o) AS organisations,
         (SELECT json_agg(json_build_object('id', u.id, 'name', u.name, 'active', u.active, 'version', u.version)
           ORDER BY id) FROM users u) AS users,
         (SELECT json_agg(i ORDER BY id) FROM inspections i) AS inspections,
         (SELECT count(*)::int FROM findings) AS findings, (SELECT count(*)::int FROM handovers) AS handovers,
         (SELECT count(*)::int FROM portfolios) AS portfolios, (SELECT json_agg(r) FROM reminder_settings r) AS settings`,
    );
    return rows[0];
  }

  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  it('opens every admin page for an admin, and offers the Admin link', async () => {
    for (const path of getPaths) {
      const res = await clients.admin.get(path);
      expect([path, res.status]).toEqual([path, 200]);
    }
    const home = await clients.admin.get('/');
    expect(home.text).toContain('href="/admin"');
    const index = await clients.admin.get('/admin');
    expect(index.text).toContain('<title>Admin - Recommendation Tracker</title>');
    for (const area of ['organisations', 'users', 'inspections', 'handovers', 'notifications', 'settings', 'queues']) {
      expect(index.text).toContain(`href="/admin/${area}"`);
    }
  });

  it.each([
    'performance manager overseeing the organisation',
    'performance manager overseeing another',
    'senior manager of the organisation',
    'senior manager of another',
    'viewer',
  ])('answers a %s with the 404 page on every admin page, and no Admin link', async (who) => {
    const client = clients[who];
    for (const path of getPaths) {
      const res = await client.get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.text).toContain('Page not found');
      expect(res.text).not.toContain(kent.organisation.name);
    }
    expect((await client.get('/')).text).not.toContain('href="/admin"');
  });

  it.each(['performance manager overseeing the organisation', 'senior manager of the organisation', 'viewer'])(
    'refuses a %s’s form posts with the 404 page and changes nothing',
    async (who) => {
      const client = clients[who];
      const before = await snapshot();
      const fields = { name: 'Renamed by a non-admin', kind: 'crc', region: 'london', status: 'active', version: '1' };
      for (const path of postPaths) {
        const res = await client.submit(path, fields, '/');
        expect([path, res.status]).toEqual([path, 404]);
      }
      expect(await snapshot()).toEqual(before);
    },
  );

  it('sends someone signed out to sign in, and back to the admin page afterwards', async () => {
    const client = new WebClient(api);
    for (const path of getPaths) {
      const res = await client.get(path);
      expect([path, res.status, res.headers.location]).toEqual([
        path,
        303,
        `/sign-in?returnTo=${encodeURIComponent(path)}`,
      ]);
    }
    const signedIn = await client.signIn(admin, '/admin/users?role=viewer');
    expect(signedIn.headers.location).toBe('/admin/users?role=viewer');
    expect((await client.get('/admin/users?role=viewer')).status).toBe(200);
  });
});
