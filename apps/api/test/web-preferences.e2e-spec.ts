import { DigestService, ReminderRunService } from '@rt/domain';
import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

type User = { id: string; email: string; password: string };

// A Tuesday: reminders that fall due today go to owners who take them as they fall due, not to weekly readers.
const TODAY = '2026-03-03';
const WEEK_START = '2026-03-02';
const SAVED = 'Your preferences have been saved';

describe('web: your preferences', () => {
  let api: ApiHarness;
  const u = {} as Record<'admin' | 'pm' | 'pmElsewhere' | 'sm' | 'smElsewhere' | 'viewer', User>;
  let runs = 0;

  beforeAll(async () => {
    api = await startApi({ today: TODAY });
    const make = api.factories;
    const world = await make.world({ dueDate: TODAY });
    const elsewhere = await make.organisation();
    u.admin = await make.user({ role: 'admin' });
    u.pm = await make.user({ role: 'performance_manager', portfolio: [world.organisation.id] });
    u.pmElsewhere = await make.user({ role: 'performance_manager', portfolio: [elsewhere.id] });
    u.sm = world.manager;
    u.smElsewhere = await make.user({ role: 'senior_manager', organisationId: elsewhere.id });
    u.viewer = world.viewer;
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const signedIn = async (user: User) => {
    const client = new WebClient(api);
    await client.signIn(user);
    return client;
  };
  const stored = async (user: User) =>
    (await api.pool.query(`SELECT reminder_delivery, weekly_digest, version FROM users WHERE id = $1`, [user.id]))
      .rows[0] as { reminder_delivery: string; weekly_digest: boolean; version: number };
  const me = async (user: User) =>
    (
      await api
        .http()
        .get('/api/v1/me')
        .set('Authorization', `Bearer ${await api.tokenFor(user)}`)
        .expect(200)
    ).body as { reminderDelivery: string; weeklyDigest: boolean; version: number };
  const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)![1];
  const checked = (html: string, name: string) =>
    /name="(\w+)" type="radio" value="(\w+)" checked/.exec(
      html.split('\n').find((line) => line.includes(`name="${name}"`) && line.includes('checked')) ?? '',
    )?.[2];

  const roles: [string, keyof typeof u, boolean][] = [
    ['admin', 'admin', false],
    ['performance manager', 'pm', true],
    ['performance manager with another portfolio', 'pmElsewhere', true],
    ['senior manager', 'sm', false],
    ['senior manager of another organisation', 'smElsewhere', false],
    ['viewer', 'viewer', false],
  ];

  describe.each(roles)('as a %s', (_role, who, asked) => {
    it(`shows their current choices${asked ? ', with the weekly digest question' : ''}`, async () => {
      const client = await signedIn(u[who]);
      const res = await client.get('/preferences');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<title>Your preferences - Recommendation Tracker</title>');
      expect(res.text).toContain('<h1 class="govuk-heading-l">Your preferences</h1>');
      expect(res.text).toContain(`data-qa="email">${u[who].email}<`);
      expect(res.text).toContain('How do you want to get reminders?');
      expect(checked(res.text, 'reminderDelivery')).toBe('immediate');
      expect(res.text).toContain('name="_csrf"');
      expect(res.text).toMatch(/<a class="govuk-service-navigation__link" href="\/preferences" aria-current="true">/);
      if (asked) {
        expect(res.text).toContain('Do you want the weekly digest?');
        expect(res.text).toContain('about the organisations in your portfolio');
        expect(checked(res.text, 'weeklyDigest')).toBe('yes');
      } else {
        expect(res.text).not.toContain('weeklyDigest');
      }
    });

    it('saves a change, says so, and the API reads it back', async () => {
      const client = await signedIn(u[who]);
      const before = await stored(u[who]);
      const res = await client.submit('/preferences', {
        version: String(before.version),
        reminderDelivery: 'weekly',
        weeklyDigest: 'no',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/preferences');
      const page = await client.get('/preferences');
      expect(page.text).toContain('govuk-notification-banner--success');
      expect(page.text).toContain(SAVED);
      expect(checked(page.text, 'reminderDelivery')).toBe('weekly');
      // The digest answer counts only from those asked it.
      expect(await me(u[who])).toMatchObject({ reminderDelivery: 'weekly', weeklyDigest: !asked });
      expect((await stored(u[who])).version).toBe(before.version + 1);
      // The banner is said once.
      expect((await client.get('/preferences')).text).not.toContain(SAVED);

      const back = await client.submit('/preferences', {
        version: versionOn(page.text),
        reminderDelivery: 'immediate',
        weeklyDigest: 'yes',
      });
      expect(back.status).toBe(303);
      expect(await me(u[who])).toMatchObject({ reminderDelivery: 'immediate', weeklyDigest: true });
    });
  });

  it('changes only the signed-in user’s own preferences', async () => {
    const colleague = await stored(u.viewer);
    const client = await signedIn(u.sm);
    const page = await client.get('/preferences');
    const res = await client.submit('/preferences', { version: versionOn(page.text), reminderDelivery: 'weekly' });
    expect(res.status).toBe(303);
    expect(await stored(u.viewer)).toEqual(colleague);
    await client.submit('/preferences', {
      version: String((await stored(u.sm)).version),
      reminderDelivery: 'immediate',
    });
  });

  it.each([
    [{ reminderDelivery: 'daily' }, '#reminderDelivery', 'Select how you want to get reminders'],
    [{ reminderDelivery: '' }, '#reminderDelivery', 'Select how you want to get reminders'],
    [{ weeklyDigest: 'sometimes' }, '#weeklyDigest', 'Select whether you want the weekly digest'],
  ])(
    'refuses %j with 400 and an error summary, keeping the choices and changing nothing',
    async (fields, href, text) => {
      const client = await signedIn(u.pm);
      const before = await stored(u.pm);
      const res = await client.submit('/preferences', {
        version: String(before.version),
        reminderDelivery: 'weekly',
        weeklyDigest: 'no',
        ...fields,
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('<title>Error: Your preferences - Recommendation Tracker</title>');
      expect(res.text).toContain('govuk-error-summary');
      expect(res.text).toContain(`<a href="${href}">${text}</a>`);
      expect(res.text).toContain('govuk-error-message');
      if (!('weeklyDigest' in fields)) expect(checked(res.text, 'weeklyDigest')).toBe('no');
      if (!('reminderDelivery' in fields)) expect(checked(res.text, 'reminderDelivery')).toBe('weekly');
      expect(res.text).not.toContain(SAVED);
      expect(await stored(u.pm)).toEqual(before);
    },
  );

  it('says plainly when the preferences were changed elsewhere meanwhile, keeps the choices, then saves', async () => {
    const client = await signedIn(u.pm);
    const page = await client.get('/preferences');
    const token = await api.tokenFor(u.pm);
    await api
      .http()
      .patch('/api/v1/me')
      .set('Authorization', `Bearer ${token}`)
      .set('If-Match', `"${versionOn(page.text)}"`)
      .send({ weeklyDigest: false })
      .expect(200);

    const res = await client.submit('/preferences', {
      version: versionOn(page.text),
      reminderDelivery: 'weekly',
      weeklyDigest: 'yes',
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Your preferences were changed somewhere else while you were editing them');
    expect(checked(res.text, 'reminderDelivery')).toBe('weekly');
    expect(checked(res.text, 'weeklyDigest')).toBe('yes');
    const latest = await stored(u.pm);
    expect(latest).toMatchObject({ reminder_delivery: 'immediate', weekly_digest: false });
    expect(versionOn(res.text)).toBe(String(latest.version));

    const again = await client.submit('/preferences', {
      version: versionOn(res.text),
      reminderDelivery: 'immediate',
      weeklyDigest: 'yes',
    });
    expect(again.status).toBe(303);
    expect(await stored(u.pm)).toMatchObject({ weekly_digest: true, version: latest.version + 1 });
  });

  it('refuses a form without its CSRF token, and sends someone signed out to sign in and back', async () => {
    const client = await signedIn(u.viewer);
    const before = await stored(u.viewer);
    const forged = await client.agent
      .post('/preferences')
      .type('form')
      .send({ version: String(before.version), reminderDelivery: 'weekly' });
    expect(forged.status).toBe(403);
    expect(await stored(u.viewer)).toEqual(before);

    const anonymous = new WebClient(api);
    const res = await anonymous.get('/preferences');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in?returnTo=%2Fpreferences');
    expect((await anonymous.signIn(u.viewer, '/preferences')).headers.location).toBe('/preferences');
  });

  describe('what the reminder and digest runs read', () => {
    const save = async (user: User, fields: Record<string, string>) => {
      const client = await signedIn(user);
      const page = await client.get('/preferences');
      const res = await client.submit('/preferences', { version: versionOn(page.text), ...fields });
      expect(res.status).toBe(303);
    };
    const remindersRun = async () => {
      const runKey = `web-preferences-test-${++runs}`;
      const result = await api.app
        .get(ReminderRunService)
        .run({ asOf: new Date(`${TODAY}T07:00:00Z`), trigger: 'manual', runKey });
      return result.emailKeys.filter((k) => k.startsWith(`${runKey}~`));
    };
    const digestRun = async () => {
      const result = await api.app.get(DigestService).run({
        asOf: new Date(`${TODAY}T07:00:00Z`),
        weekStart: WEEK_START,
        trigger: 'manual',
        runKey: `web-preferences-digest-${++runs}`,
      });
      return result.waiting.map((d) => d.recipientId);
    };

    it('sends an owner who chose "once a week" no reminder on a Tuesday, and one when they go back', async () => {
      // Their one action falls due today.
      await save(u.sm, { reminderDelivery: 'weekly' });
      expect(await remindersRun()).toEqual([]);
      await save(u.sm, { reminderDelivery: 'immediate' });
      expect(await remindersRun()).toEqual([`web-preferences-test-${runs}~${u.sm.id}`]);
    });

    it('leaves out of the weekly digest a performance manager who turned it off, and not once they turn it on', async () => {
      await save(u.pm, { reminderDelivery: 'immediate', weeklyDigest: 'no' });
      const without = await digestRun();
      expect(without).not.toContain(u.pm.id);
      expect(without).toContain(u.pmElsewhere.id);
      await save(u.pm, { reminderDelivery: 'immediate', weeklyDigest: 'yes' });
      expect(await digestRun()).toContain(u.pm.id);
    });
  });
});
