import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;

/** Admin: users (list and filters), adding one, changing one, disabling and enabling, a portfolio. */
describe('web admin: users', () => {
  let api: ApiHarness;
  let admin: WebClient;
  let adminUser: { id: string; email: string };
  let kent: World;
  let surrey: World;
  let pm: { id: string; email: string };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const make = api.factories;
    kent = await make.world();
    surrey = await make.world();
    pm = await make.user({
      role: 'performance_manager',
      name: 'Performance Manager South East',
      portfolio: [kent.organisation.id],
    });
    adminUser = await make.user({ role: 'admin' });
    await make.user({ role: 'viewer', organisationId: kent.organisation.id, email: 'existing.user@example.org' });
    admin = new WebClient(api);
    await admin.signIn(adminUser);
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const rowOf = (html: string, id: string) =>
    new RegExp(`data-qa="user-row" data-user-id="${id}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const user = async (id: string) =>
    (
      await api.pool.query(
        `SELECT email, name, role, organisation_id, active, accountable_lead, reminder_delivery, version FROM users WHERE id = $1`,
        [id],
      )
    ).rows[0];
  const userCount = async () => (await api.pool.query(`SELECT count(*)::int AS n FROM users`)).rows[0].n as number;
  const newUser = {
    email: 'head.public.protection@kent.example.org',
    name: 'Head of Public Protection',
    role: 'senior_manager',
    organisationId: '',
    password: 'a long enough password',
  };

  it('lists users with their role, organisation and status, filtered by role and organisation', async () => {
    const res = await admin.get('/admin/users');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<caption class="govuk-table__caption govuk-table__caption--m">Users by name</caption>');
    expect(text(rowOf(res.text, kent.manager.id))).toContain(
      `${kent.manager.email} Senior manager ${kent.organisation.name} Active`,
    );
    expect(rowOf(res.text, kent.manager.id)).toContain(`href="/admin/users/${kent.manager.id}"`);

    const viewers = await admin.get('/admin/users?role=viewer');
    expect(viewers.text).toContain(`data-user-id="${kent.viewer.id}"`);
    expect(viewers.text).not.toContain(`data-user-id="${kent.manager.id}"`);
    expect(viewers.text).toMatch(/<option value="viewer" selected>/);

    const ofSurrey = await admin.get(`/admin/users?organisation=${surrey.organisation.id}`);
    expect(ofSurrey.text).toContain(`data-user-id="${surrey.manager.id}"`);
    expect(ofSurrey.text).not.toContain(`data-user-id="${kent.manager.id}"`);
    expect(ofSurrey.text).toContain('Clear filters');
    expect((await admin.get('/admin/users?role=emperor&organisation=x')).status).toBe(200);
  });

  it('pages long lists', async () => {
    const org = await api.factories.organisation();
    for (let i = 0; i < 21; i++) await api.factories.user({ role: 'viewer', organisationId: org.id });
    const first = await admin.get(`/admin/users?organisation=${org.id}`);
    expect(first.text.match(/data-qa="user-row"/g)).toHaveLength(20);
    const next = /href="([^"]+)" rel="next"/.exec(first.text)![1].replace(/&amp;/g, '&');
    expect(next).toContain(`organisation=${org.id}`);
    expect((await admin.get(next)).text.match(/data-qa="user-row"/g)).toHaveLength(1);
  });

  it('adds a senior manager as their organisation’s accountable lead, who can then sign in', async () => {
    const res = await admin.submit('/admin/users/new', {
      ...newUser,
      organisationId: kent.organisation.id,
      accountableLead: 'yes',
    });
    expect(res.status).toBe(303);
    const { rows } = await api.pool.query(`SELECT id FROM users WHERE email = $1`, [newUser.email]);
    expect(res.headers.location).toBe(`/admin/users/${rows[0].id}`);
    expect(await user(rows[0].id)).toMatchObject({
      name: 'Head of Public Protection',
      role: 'senior_manager',
      organisation_id: kent.organisation.id,
      accountable_lead: true,
      active: true,
    });
    const page = await admin.get(res.headers.location);
    expect(page.text).toContain('Head of Public Protection added');
    const them = new WebClient(api);
    expect((await them.signIn({ email: newUser.email, password: newUser.password })).headers.location).toBe('/');
  });

  it.each([
    [{ email: 'not-an-email' }, '#email', 'Enter an email address in the correct format, like name@example.org'],
    [{ email: 'EXISTING.User@example.org' }, '#email', 'A user with this email address already exists'],
    [{ name: '' }, '#name', 'Enter their name'],
    [{ password: 'short' }, '#password', 'Password must be 12 characters or more'],
    [{ role: '' }, '#role', 'Select a role'],
    // The service's rules, said against their fields.
    [{ organisationId: '' }, '#organisationId', 'Senior managers and viewers must belong to an organisation'],
    [
      { role: 'admin', accountableLead: 'yes' },
      '#accountableLead',
      'Only a senior manager can be their organisation&#39;s accountable lead',
    ],
  ])('refuses %j with the error summary and adds no one', async (fields, href, message) => {
    const before = await userCount();
    const res = await admin.submit('/admin/users/new', {
      ...newUser,
      email: 'someone.new@example.org',
      organisationId: kent.organisation.id,
      ...fields,
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Error: Add a user - Recommendation Tracker</title>');
    expect(res.text).toContain(`<a href="${href}">${message}</a>`);
    // What was typed is kept, except the password.
    expect(res.text).toContain(`value="${(fields as { email?: string }).email ?? 'someone.new@example.org'}"`);
    expect(res.text).not.toMatch(/name="password"[^>]*value="[^"]/);
    expect(await userCount()).toBe(before);
  });

  it('changes a user: name, role, organisation and reminder delivery', async () => {
    const them = await api.factories.user({
      role: 'viewer',
      organisationId: kent.organisation.id,
      name: 'Data Officer',
    });
    const page = await admin.get(`/admin/users/${them.id}`);
    expect(page.text).toContain('<h1 class="govuk-heading-l">Data Officer</h1>');
    expect(page.text).toContain('name="version" value="1"');
    const res = await admin.submit(`/admin/users/${them.id}`, {
      version: '1',
      email: them.email,
      name: 'Head of Data',
      role: 'senior_manager',
      organisationId: surrey.organisation.id,
      reminderDelivery: 'weekly',
    });
    expect(res.status).toBe(303);
    expect(await user(them.id)).toMatchObject({
      name: 'Head of Data',
      role: 'senior_manager',
      organisation_id: surrey.organisation.id,
      reminder_delivery: 'weekly',
      version: 2,
    });
    expect((await admin.get(`/admin/users/${them.id}`)).text).toContain('User updated');
  });

  it('refuses a change to another user’s email with a field error, and a stale change with a message', async () => {
    const them = await api.factories.user({ role: 'viewer', organisationId: kent.organisation.id });
    const fields = {
      email: them.email,
      name: 'X',
      role: 'viewer',
      organisationId: kent.organisation.id,
      reminderDelivery: 'immediate',
    };
    const duplicate = await admin.submit(`/admin/users/${them.id}`, {
      ...fields,
      version: '1',
      email: kent.manager.email.toUpperCase(),
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.text).toContain('<a href="#email">A user with this email address already exists</a>');
    expect((await user(them.id)).email).toBe(them.email);

    expect((await admin.submit(`/admin/users/${them.id}`, { ...fields, version: '1', name: 'First' })).status).toBe(
      303,
    );
    const late = await admin.submit(`/admin/users/${them.id}`, { ...fields, version: '1', name: 'Late' });
    expect(late.status).toBe(409);
    expect(late.text).toContain('Someone else changed this user while you were editing it');
    expect(late.text).toContain('value="Late"');
    expect((await user(them.id)).name).toBe('First');
  });

  it('disables a user, which signs them out, and enables them again', async () => {
    const them = await api.factories.user({ role: 'viewer', organisationId: kent.organisation.id, name: 'Leaver' });
    const theirs = new WebClient(api);
    await theirs.signIn(them);
    expect((await theirs.get('/')).status).toBe(200);

    const page = await admin.get(`/admin/users/${them.id}`);
    expect(page.text).toContain('data-qa="disable"');
    const res = await admin.submit(
      `/admin/users/${them.id}/active`,
      { version: '1', active: 'no' },
      `/admin/users/${them.id}`,
    );
    expect(res.status).toBe(303);
    expect((await user(them.id)).active).toBe(false);
    const after = await admin.get(`/admin/users/${them.id}`);
    expect(after.text).toContain('Leaver is disabled and signed out');
    expect(after.text).toContain('<span data-qa="status">Disabled: cannot sign in</span>');
    expect(after.text).toContain('Enable user');
    expect((await theirs.get('/')).status).toBe(303);

    expect(
      (await admin.submit(`/admin/users/${them.id}/active`, { version: '2', active: 'yes' }, `/admin/users/${them.id}`))
        .status,
    ).toBe(303);
    expect((await user(them.id)).active).toBe(true);
    const stale = await admin.submit(
      `/admin/users/${them.id}/active`,
      { version: '2', active: 'no' },
      `/admin/users/${them.id}`,
    );
    expect(stale.status).toBe(409);
    expect((await user(them.id)).active).toBe(true);
  });

  it('does not let an admin disable themselves', async () => {
    const page = await admin.get(`/admin/users/${adminUser.id}`);
    expect(page.text).toContain('You cannot disable yourself. Ask another admin.');
    expect(page.text).not.toContain('data-qa="disable"');
    const res = await admin.submit(
      `/admin/users/${adminUser.id}/active`,
      { version: '1', active: 'no' },
      `/admin/users/${adminUser.id}`,
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain(
      '<a href="#active">You cannot disable yourself or remove your own admin role; ask another admin</a>',
    );
    expect((await user(adminUser.id)).active).toBe(true);
  });

  it('sets a performance manager’s portfolio with checkboxes', async () => {
    const page = await admin.get(`/admin/users/${pm.id}/portfolio`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1 class="govuk-heading-l">Portfolio of Performance Manager South East</h1>');
    expect(page.text).toMatch(new RegExp(`value="${kent.organisation.id}" checked`));
    expect(page.text).not.toMatch(new RegExp(`value="${surrey.organisation.id}" checked`));

    const version = String((await user(pm.id)).version);
    const res = await admin.submit(`/admin/users/${pm.id}/portfolio`, {
      version,
      organisationIds: [kent.organisation.id, surrey.organisation.id],
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/users/${pm.id}`);
    const { rows } = await api.pool.query(`SELECT organisation_id FROM portfolios WHERE user_id = $1`, [pm.id]);
    expect(rows.map((r) => r.organisation_id).sort()).toEqual([kent.organisation.id, surrey.organisation.id].sort());
    const userPage = await admin.get(`/admin/users/${pm.id}`);
    expect(userPage.text).toContain('Portfolio saved');
    expect(userPage.text).toMatch(new RegExp(`data-qa="portfolio">[\\s\\S]*${surrey.organisation.name}`));
  });

  it('refuses a portfolio with an unknown organisation, a stale one, and a portfolio for anyone but a performance manager', async () => {
    const version = String((await user(pm.id)).version);
    const bad = await admin.submit(`/admin/users/${pm.id}/portfolio`, {
      version,
      organisationIds: ['0f8fad5b-d9cb-469f-a165-70867728950e'],
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<a href="#organisationIds">Select organisations from the list</a>');
    const stale = await admin.submit(`/admin/users/${pm.id}/portfolio`, { version: '1', organisationIds: [] });
    expect(stale.status).toBe(409);
    const { rows } = await api.pool.query(`SELECT count(*)::int AS n FROM portfolios WHERE user_id = $1`, [pm.id]);
    expect(rows[0].n).toBeGreaterThan(0);
    expect((await admin.get(`/admin/users/${kent.manager.id}/portfolio`)).status).toBe(404);
    expect((await admin.get(`/admin/users/${kent.manager.id}`)).text).not.toContain('/portfolio"');
  });

  it('answers unknown users with the 404 page', async () => {
    expect((await admin.get('/admin/users/0f8fad5b-d9cb-469f-a165-70867728950e')).status).toBe(404);
    expect((await admin.get('/admin/users/nobody')).status).toBe(404);
  });
});
