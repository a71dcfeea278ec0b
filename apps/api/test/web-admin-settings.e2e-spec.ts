import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

/** Admin: the reminder settings, by default and for one organisation. */
describe('web admin: reminder settings', () => {
  let api: ApiHarness;
  let admin: WebClient;
  let kent: { id: string; name: string };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    kent = await api.factories.organisation({ name: 'Kent Probation Trust' });
    admin = new WebClient(api);
    await admin.signIn(await api.factories.user({ role: 'admin' }));
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const defaults = async () =>
    (
      await api.pool.query(
        `SELECT offsets_days, overdue_repeat_days, escalation_after_days, escalation_repeat_days,
           to_char(send_time, 'HH24:MI') AS send_time, version FROM reminder_settings WHERE organisation_id IS NULL`,
      )
    ).rows[0];
  const valueOf = (html: string, name: string) =>
    new RegExp(`name="${name}" type="text" value="([^"]*)"`).exec(html)?.[1];

  it('shows the defaults in the form', async () => {
    const res = await admin.get('/admin/settings');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>Reminder settings - Recommendation Tracker</title>');
    expect(valueOf(res.text, 'offsetsDays')).toBe('14, 3');
    expect(valueOf(res.text, 'overdueRepeatDays')).toBe('7');
    expect(valueOf(res.text, 'escalationAfterDays')).toBe('14');
    expect(valueOf(res.text, 'escalationRepeatDays')).toBe('14');
    expect(valueOf(res.text, 'sendTime')).toBe('07:00');
    expect(res.text).toContain('name="version" value="1"');
  });

  it('saves the defaults', async () => {
    const res = await admin.submit('/admin/settings', {
      version: '1',
      offsetsDays: '3, 21,7',
      overdueRepeatDays: '5',
      escalationAfterDays: '10',
      escalationRepeatDays: '7',
      sendTime: '6:30',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/settings');
    expect(await defaults()).toEqual({
      offsets_days: [21, 7, 3],
      overdue_repeat_days: 5,
      escalation_after_days: 10,
      escalation_repeat_days: 7,
      send_time: '06:30',
      version: 2,
    });
    const page = await admin.get('/admin/settings');
    expect(page.text).toContain('Reminder settings saved');
    expect(valueOf(page.text, 'offsetsDays')).toBe('21, 7, 3');
  });

  it.each([
    [{ offsetsDays: '14, 3, 14' }, '#offsetsDays', 'Enter each day before the due date only once'],
    [
      { offsetsDays: '14, 0' },
      '#offsetsDays',
      'Days before the due date must each be from 1 to 90, and no more than 10 of them',
    ],
    [
      { offsetsDays: 'fortnight' },
      '#offsetsDays',
      'Enter days before the due date as whole numbers separated by commas, like 14, 3',
    ],
    [{ overdueRepeatDays: '' }, '#overdueRepeatDays', 'Enter how often overdue reminders repeat'],
    [{ escalationAfterDays: '400' }, '#escalationAfterDays', 'Escalation must start 1 to 365 days after the due date'],
    [{ sendTime: '25:00' }, '#sendTime', 'Enter the send time as a 24-hour time from 00:00 to 23:59, like 07:00'],
  ])('refuses %j with the error summary and changes nothing', async (fields, href, message) => {
    const before = await defaults();
    const res = await admin.submit('/admin/settings', {
      version: String(before.version),
      offsetsDays: '14, 3',
      overdueRepeatDays: '7',
      escalationAfterDays: '14',
      escalationRepeatDays: '14',
      sendTime: '07:00',
      ...fields,
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Error: Reminder settings - Recommendation Tracker</title>');
    expect(res.text).toContain(`<a href="${href}">${message}</a>`);
    const [field, typed] = Object.entries(fields)[0];
    expect(valueOf(res.text, field)).toBe(typed);
    expect(await defaults()).toEqual(before);
  });

  it('says so when someone else saved the settings first', async () => {
    const before = await defaults();
    const res = await admin.submit('/admin/settings', {
      version: String(before.version - 1),
      offsetsDays: '30',
      overdueRepeatDays: '7',
      escalationAfterDays: '14',
      escalationRepeatDays: '14',
      sendTime: '07:00',
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Someone else changed these settings while you were editing it');
    expect(valueOf(res.text, 'offsetsDays')).toBe('30');
    expect(res.text).toContain(`name="version" value="${before.version}"`);
    expect(await defaults()).toEqual(before);
  });

  it('sets and clears an organisation’s own settings, blank boxes using the defaults', async () => {
    const picked = await admin.get(`/admin/settings/organisations?organisation=${kent.id}`);
    expect(picked.status).toBe(303);
    expect(picked.headers.location).toBe(`/admin/settings/organisations/${kent.id}`);
    const page = await admin.get(picked.headers.location);
    expect(page.text).toContain('<title>Reminder settings for Kent Probation Trust - Recommendation Tracker</title>');
    expect(valueOf(page.text, 'offsetsDays')).toBe('');
    expect(page.text).toContain('Leave blank to use the default: 21, 7, 3');

    const blank = {
      offsetsDays: '',
      overdueRepeatDays: '',
      escalationAfterDays: '',
      escalationRepeatDays: '',
      sendTime: '',
    };
    const set = await admin.submit(picked.headers.location, {
      ...blank,
      version: '0',
      offsetsDays: '10',
      sendTime: '08:15',
    });
    expect(set.status).toBe(303);
    const own = await admin.get(picked.headers.location);
    expect(own.text).toContain('Reminder settings for Kent Probation Trust saved');
    expect(own.text).toMatch(/Days before the due date\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*10\s*</);
    expect(own.text).toMatch(/Overdue reminders every\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*5 days\s*</);
    const overview = await admin.get('/admin/settings');
    expect(overview.text).toMatch(
      new RegExp(
        `data-qa="override-row">[\\s\\S]*?href="/admin/settings/organisations/${kent.id}">Kent Probation Trust</a>`,
      ),
    );

    const bad = await admin.submit(picked.headers.location, { ...blank, version: '1', overdueRepeatDays: '91' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<a href="#overdueRepeatDays">Overdue reminders must repeat every 1 to 90 days</a>');

    const cleared = await admin.submit(picked.headers.location, { ...blank, version: '1' });
    expect(cleared.status).toBe(303);
    const { rows } = await api.pool.query(
      `SELECT offsets_days, send_time FROM reminder_settings WHERE organisation_id = $1`,
      [kent.id],
    );
    expect(rows).toEqual([{ offsets_days: null, send_time: null }]);
    expect((await admin.get('/admin/settings')).text).not.toContain('data-qa="override-row"');
  });

  it('asks for an organisation when none is picked, and answers unknown ones with the 404 page', async () => {
    const none = await admin.get('/admin/settings/organisations?organisation=');
    expect(none.status).toBe(400);
    // Once in the error summary (it listed the picker's error twice before).
    expect(none.text.split('<a href="#organisation">Select an organisation</a>')).toHaveLength(2);
    expect((await admin.get('/admin/settings/organisations/0f8fad5b-d9cb-469f-a165-70867728950e')).status).toBe(404);
  });
});
