import { startSystem, SystemHarness } from './system-harness';

jest.setTimeout(60_000);

type World = Awaited<ReturnType<SystemHarness['api']['factories']['world']>>;

describe('deadline reminders', () => {
  let system: SystemHarness;

  beforeAll(async () => {
    system = await startSystem({ today: '2026-03-02' });
  });
  afterAll(() => system.close());

  /** A run as of 07:00 on `date`, with the worker's "today" (days overdue in the email) on that date too. */
  async function runOn(date: string) {
    system.clock.set(new Date(`${date}T12:00:00Z`));
    return system.runReminders(`${date}T07:00:00Z`);
  }

  const mail = (user: { email: string }) => system.smtp.to(user.email);

  async function seniorManager(organisationId: string, opts: { accountableLead?: boolean; active?: boolean } = {}) {
    const user = await system.api.factories.user({
      role: 'senior_manager',
      organisationId,
      active: opts.active ?? true,
    });
    if (opts.accountableLead) {
      await system.api.pool.query(`UPDATE users SET accountable_lead = true WHERE id = $1`, [user.id]);
    }
    return user;
  }

  function action(world: World, a: { dueDate: string; title?: string; ownerId?: string; status?: 'in_progress' }) {
    return system.api.factories.action({
      recommendationId: world.recommendation.id,
      ownerId: a.ownerId ?? world.manager.id,
      dueDate: a.dueDate,
      title: a.title,
      status: a.status,
    });
  }

  async function referenceOf(world: World): Promise<string> {
    const { rows } = await system.api.pool.query(`SELECT reference FROM recommendations WHERE id = $1`, [
      world.recommendation.id,
    ]);
    return rows[0].reference;
  }

  async function asAdmin() {
    return { Authorization: `Bearer ${await system.adminToken()}` };
  }

  it('reminds the owner 14 days before the due date, once, with the action, its recommendation and a link', async () => {
    const world = await system.api.factories.world({ dueDate: '2026-03-16' });
    await system.runReminders('2026-03-02T07:00:00Z');
    const received = system.smtp.to(world.manager.email);
    expect(received).toHaveLength(1);
    expect(received[0].subject).toContain('coming up');
    expect(received[0].text).toContain('Due Monday 16 March 2026 (in 14 days)');
    expect(received[0].text).toContain(`http://tracker.test/actions/${world.action.id}`);
    expect(received[0].html).toContain(`href="http://tracker.test/actions/${world.action.id}"`);

    await system.runReminders('2026-03-02T07:00:00Z');
    expect(system.smtp.to(world.manager.email)).toHaveLength(1);
  });

  it('reminds 14 and 3 days before, on the due day and every 7 days overdue, and on no other day', async () => {
    const world = await system.api.factories.world({ dueDate: '2026-03-16' });
    const expected: [string, number, string | null][] = [
      ['2026-03-02', 1, 'Due Monday 16 March 2026 (in 14 days)'],
      ['2026-03-06', 1, null], // 10 days before
      ['2026-03-12', 1, null], // 4 days before
      ['2026-03-13', 2, 'Due Monday 16 March 2026 (in 3 days)'],
      ['2026-03-16', 3, 'Due today'],
      ['2026-03-17', 3, null], // 1 day overdue
      ['2026-03-23', 4, 'Was due Monday 16 March 2026: 7 days overdue'],
      ['2026-03-24', 4, null], // 8 days overdue
      ['2026-03-27', 4, null],
      ['2026-03-30', 5, 'Was due Monday 16 March 2026: 14 days overdue'],
    ];
    for (const [date, count, says] of expected) {
      await runOn(date);
      const received = mail(world.manager);
      expect({ date, count: received.length }).toEqual({ date, count });
      if (says) expect(received[count - 1].text).toContain(says);
    }
    expect(mail(world.manager).map((m) => m.subject)).toEqual([
      'Recommendation Tracker: 1 coming up',
      'Recommendation Tracker: 1 coming up',
      'Recommendation Tracker: 1 due today',
      'Recommendation Tracker: 1 overdue',
      'Recommendation Tracker: 1 overdue',
    ]);
  });

  it('stops reminding once the action is completed, verified or cancelled', async () => {
    const world = await system.api.factories.world({ dueDate: '2026-02-23' });
    const owners = [world.manager];
    const closing = [world.action];
    for (let i = 0; i < 3; i++) {
      const owner = await seniorManager(world.organisation.id);
      owners.push(owner);
      closing.push(await action(world, { dueDate: '2026-02-23', ownerId: owner.id, status: 'in_progress' }));
    }
    await runOn('2026-03-02'); // 7 days overdue: everyone hears
    for (const owner of owners) expect(mail(owner)).toHaveLength(1);

    const [, completed, verified, cancelled] = closing;
    await system.api.pool.query(
      `UPDATE actions SET status = s.status, progress = 100
       FROM unnest($1::uuid[], $2::text[]) AS s(id, status) WHERE actions.id = s.id`,
      [
        [completed.id, verified.id, cancelled.id],
        ['completed', 'verified', 'cancelled'],
      ],
    );
    await runOn('2026-03-09'); // 14 days overdue
    expect(mail(owners[0])).toHaveLength(2);
    for (const owner of owners.slice(1)) expect(mail(owner)).toHaveLength(1);
  });

  describe('escalation', () => {
    it('tells the accountable lead and the portfolio performance managers at 14, 28 and 42 days overdue, saying why', async () => {
      const world = await system.api.factories.world({ dueDate: '2026-02-02' });
      const other = await system.api.factories.world();
      const lead = await seniorManager(world.organisation.id);
      const headers = await asAdmin();
      const read = await system.api.http().get(`/api/v1/users/${lead.id}`).set(headers).expect(200);
      await system.api
        .http()
        .patch(`/api/v1/users/${lead.id}`)
        .set(headers)
        .set('If-Match', read.headers.etag)
        .send({ accountableLead: true })
        .expect(200);
      const disabledLead = await seniorManager(world.organisation.id, { accountableLead: true });
      await system.api.pool.query(`UPDATE users SET active = false WHERE id = $1`, [disabledLead.id]);
      const otherLead = await seniorManager(other.organisation.id, { accountableLead: true });
      const pm = await system.api.factories.user({
        role: 'performance_manager',
        portfolio: [world.organisation.id, other.organisation.id],
      });
      const otherPm = await system.api.factories.user({
        role: 'performance_manager',
        portfolio: [other.organisation.id],
      });
      const disabledPm = await system.api.factories.user({
        role: 'performance_manager',
        portfolio: [world.organisation.id],
        active: false,
      });

      await runOn('2026-02-13'); // 11 days overdue: nobody is escalated to
      for (const u of [lead, pm]) expect(mail(u)).toHaveLength(0);

      await runOn('2026-02-16');
      await runOn('2026-02-16'); // a second sweep adds nothing
      expect(mail(lead)).toHaveLength(1);
      expect(mail(pm)).toHaveLength(1);
      for (const u of [disabledLead, otherLead, otherPm, disabledPm]) expect(mail(u)).toHaveLength(0);
      // The owner still gets the weekly overdue reminder, not the escalation.
      expect(mail(world.manager)).toHaveLength(1);
      expect(mail(world.manager)[0].text).toContain('14 days overdue');
      expect(mail(world.manager)[0].text).not.toContain('ESCALATED');

      const toLead = mail(lead)[0];
      expect(toLead.subject).toBe('Recommendation Tracker: 1 escalated to you');
      expect(toLead.text).toContain('OVERDUE ACTIONS ESCALATED TO YOU');
      expect(toLead.text).toContain(
        `You are told because it is 14 days overdue and you are the accountable lead for ${world.organisation.name}.`,
      );
      expect(toLead.text).toContain(`http://tracker.test/actions/${world.action.id}`);
      expect(mail(pm)[0].text).toContain(
        `You are told because it is 14 days overdue and ${world.organisation.name} is in your portfolio.`,
      );

      await runOn('2026-02-23'); // 21 days: the owner's weekly reminder only
      expect(mail(world.manager)).toHaveLength(2);
      expect(mail(lead)).toHaveLength(1);
      expect(mail(pm)).toHaveLength(1);

      await runOn('2026-03-02');
      expect(mail(lead)).toHaveLength(2);
      expect(mail(lead)[1].text).toContain('it is 28 days overdue');
      expect(mail(pm)).toHaveLength(2);
      await runOn('2026-03-09'); // 35 days
      expect(mail(lead)).toHaveLength(2);
      await runOn('2026-03-16');
      expect(mail(lead)).toHaveLength(3);
      expect(mail(lead)[2].text).toContain('it is 42 days overdue');
      expect(mail(pm)).toHaveLength(3);
      expect(mail(world.manager)).toHaveLength(5);
      for (const u of [disabledLead, otherLead, otherPm, disabledPm]) expect(mail(u)).toHaveLength(0);
    });
  });

  it('sends one email per person per run, listing overdue first, then due today, then coming up', async () => {
    const world = await system.api.factories.world({ dueDate: '2026-03-16' });
    const titled = async (title: string, dueDate: string) => ({ title, ...(await action(world, { title, dueDate })) });
    const weekLate = await titled('Audit home visits in high risk cases', '2026-02-23');
    const fortnightLate = await titled('Consult multi-agency information', '2026-02-16');
    const today = await titled('Check children social care records', '2026-03-02');
    const soon = await titled('Review risk management plans', '2026-03-05');
    await system.api.pool.query(`UPDATE actions SET title = 'Train staff in risk of harm analysis' WHERE id = $1`, [
      world.action.id,
    ]);
    await runOn('2026-03-02');

    const received = mail(world.manager);
    expect(received).toHaveLength(1);
    expect(received[0].subject).toBe('Recommendation Tracker: 2 overdue, 1 due today, 2 coming up');
    const text = received[0].text;
    const order = [
      'OVERDUE',
      fortnightLate.title,
      weekLate.title,
      'DUE TODAY',
      today.title,
      'COMING UP',
      soon.title,
      'Train staff in risk of harm analysis',
      'WHY YOU ARE GETTING THIS EMAIL',
    ].map((s) => text.indexOf(s));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('Was due Monday 16 February 2026: 14 days overdue');
    expect(text).toContain('Due Thursday 5 March 2026 (in 3 days)');
    for (const a of [weekLate, fortnightLate, today, soon, world.action]) {
      expect(text).toContain(`http://tracker.test/actions/${a.id}`);
    }
    const html = received[0].html;
    expect(html.indexOf('>Overdue</h2>')).toBeLessThan(html.indexOf('>Due today</h2>'));
    expect(html.indexOf('>Due today</h2>')).toBeLessThan(html.indexOf('>Coming up</h2>'));
  });

  describe('weekly delivery', () => {
    it('holds a weekly reader’s reminders for Monday’s run, while escalations to them go at once', async () => {
      const world = await system.api.factories.world({ dueDate: '2026-03-17' }); // 14 days before: Tuesday
      const reader = world.manager;
      const token = await system.api.tokenFor(reader);
      const me = await system.api.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
      const updated = await system.api
        .http()
        .patch('/api/v1/me')
        .set('Authorization', `Bearer ${token}`)
        .set('If-Match', me.headers.etag)
        .send({ reminderDelivery: 'weekly' })
        .expect(200);
      expect(updated.body.reminderDelivery).toBe('weekly');
      await system.api.pool.query(`UPDATE users SET accountable_lead = true WHERE id = $1`, [reader.id]);
      const dueThursday = await action(world, { dueDate: '2026-03-05', title: 'Due on Thursday' });
      const dueInThreeWeeks = await action(world, { dueDate: '2026-03-20', title: 'Reminded on Friday' });
      // Someone else's action, 14 days overdue on Thursday: escalated to the reader, who is the accountable lead.
      const colleague = await seniorManager(world.organisation.id);
      const escalated = await action(world, { dueDate: '2026-02-19', ownerId: colleague.id, title: 'Escalated' });
      const immediate = await system.api.factories.world({ dueDate: '2026-03-17' });

      for (const date of ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']) await runOn(date);
      expect(mail(immediate.manager)).toHaveLength(1);
      const heldBack = mail(reader);
      expect(heldBack).toHaveLength(1);
      expect(heldBack[0].subject).toBe('Recommendation Tracker: 1 escalated to you');
      expect(heldBack[0].text).toContain(`http://tracker.test/actions/${escalated.id}`);
      expect(heldBack[0].text).not.toContain('Due on Thursday');

      await runOn('2026-03-09');
      const received = mail(reader);
      expect(received).toHaveLength(2);
      const monday = received[1];
      expect(monday.subject).toBe('Recommendation Tracker: 1 overdue, 2 coming up');
      expect(monday.text).toContain('Was due Thursday 5 March 2026: 4 days overdue');
      expect(monday.text).toContain('Due Tuesday 17 March 2026 (in 8 days)');
      expect(monday.text).toContain('Due Friday 20 March 2026 (in 11 days)');
      for (const a of [world.action, dueThursday, dueInThreeWeeks]) {
        expect(monday.text).toContain(`http://tracker.test/actions/${a.id}`);
      }
      expect(monday.text).not.toContain(`http://tracker.test/actions/${escalated.id}`);

      await runOn('2026-03-10');
      expect(mail(reader)).toHaveLength(2);
    });
  });

  describe('working days', () => {
    it('sends nothing on a Saturday, and Monday’s run sends what fell on the weekend', async () => {
      const world = await system.api.factories.world({ dueDate: '2026-03-21' }); // 14 days before: Saturday 7th
      const dueSaturday = await action(world, { dueDate: '2026-03-07', title: 'Due on a Saturday' });

      const saturday = await runOn('2026-03-07');
      expect(saturday.result).toMatchObject({ status: 'skipped', emails: 0 });
      await runOn('2026-03-08');
      expect(mail(world.manager)).toHaveLength(0);

      await runOn('2026-03-09');
      const received = mail(world.manager);
      expect(received).toHaveLength(1);
      expect(received[0].text).toContain('Due Saturday 21 March 2026 (in 12 days)');
      expect(received[0].text).toContain('Was due Saturday 7 March 2026: 2 days overdue');
      expect(received[0].text).toContain(`http://tracker.test/actions/${dueSaturday.id}`);
    });

    it('sends nothing on Good Friday or Easter Monday, and Tuesday’s run sends what fell on them', async () => {
      const world = await system.api.factories.world({ dueDate: '2026-04-06' }); // 3 days before: Good Friday
      const fortnightFromFriday = await action(world, { dueDate: '2026-04-17', title: 'Reminded on Good Friday' });
      const fortnightFromMonday = await action(world, { dueDate: '2026-04-20', title: 'Reminded on Easter Monday' });
      const threeFromTuesday = await action(world, { dueDate: '2026-04-10', title: 'Reminded on Tuesday' });

      await runOn('2026-04-02');
      expect(mail(world.manager)).toHaveLength(0);
      for (const holiday of ['2026-04-03', '2026-04-04', '2026-04-05', '2026-04-06']) {
        const { result } = await runOn(holiday);
        expect(result).toMatchObject({ status: 'skipped', emails: 0 });
      }
      expect(mail(world.manager)).toHaveLength(0);

      await runOn('2026-04-07');
      const received = mail(world.manager);
      expect(received).toHaveLength(1);
      const text = received[0].text;
      expect(received[0].subject).toBe('Recommendation Tracker: 1 overdue, 3 coming up');
      expect(text).toContain('Was due Monday 6 April 2026: 1 day overdue');
      // Its "3 days before" (Good Friday) and "due" (Easter Monday) reminders arrive together: listed once.
      expect(text.split(`http://tracker.test/actions/${world.action.id}`)).toHaveLength(2);
      expect(text).toContain('Due Friday 17 April 2026 (in 10 days)');
      expect(text).toContain('Due Monday 20 April 2026 (in 13 days)');
      expect(text).toContain('Due Friday 10 April 2026 (in 3 days)');
      for (const a of [fortnightFromFriday, fortnightFromMonday, threeFromTuesday]) {
        expect(text).toContain(`http://tracker.test/actions/${a.id}`);
      }
    });
  });

  describe('per-organisation settings', () => {
    it('reminds an organisation with offsets [7] 7 days before, not 14 or 3, and keeps its send time', async () => {
      const world = await system.api.factories.world({ dueDate: '2026-03-23' });
      const usual = await system.api.factories.world({ dueDate: '2026-03-23' });
      const headers = await asAdmin();
      const path = `/api/v1/organisations/${world.organisation.id}/reminder-settings`;
      const before = await system.api.http().get(path).set(headers).expect(200);
      const patched = await system.api
        .http()
        .patch(path)
        .set(headers)
        .set('If-Match', before.headers.etag)
        .send({ offsetsDays: [7], sendTime: '06:30' })
        .expect(200);
      expect(patched.body.effective).toMatchObject({ offsetsDays: [7], sendTime: '06:30', overdueRepeatDays: 7 });
      const reread = await system.api.http().get(path).set(headers).expect(200);
      expect(reread.body.overrides).toMatchObject({ offsetsDays: [7], sendTime: '06:30', escalationAfterDays: null });
      const defaults = await system.api.http().get('/api/v1/reminder-settings').set(headers).expect(200);
      expect(defaults.body).toMatchObject({ offsetsDays: [14, 3], sendTime: '07:00' });

      await runOn('2026-03-09'); // 14 days before
      expect(mail(world.manager)).toHaveLength(0);
      expect(mail(usual.manager)).toHaveLength(1);
      await runOn('2026-03-16'); // 7 days before
      expect(mail(world.manager)).toHaveLength(1);
      expect(mail(world.manager)[0].text).toContain('Due Monday 23 March 2026 (in 7 days)');
      expect(mail(usual.manager)).toHaveLength(1);
      await runOn('2026-03-20'); // 3 days before
      expect(mail(world.manager)).toHaveLength(1);
      expect(mail(usual.manager)).toHaveLength(2);
    });
  });

  describe('the email', () => {
    it('is plain text and HTML with the action, recommendation, organisation, date in words, days overdue, link and why', async () => {
      const world = await system.api.factories.world({ dueDate: '2026-03-16' });
      const title = 'Train staff <script>alert("x")</script> & review plans';
      await system.api.pool.query(`UPDATE actions SET title = $2 WHERE id = $1`, [world.action.id, title]);
      const organisationName = `Kent & Medway Probation Trust ${world.organisation.id.slice(0, 8)}`;
      await system.api.pool.query(`UPDATE organisations SET name = $2 WHERE id = $1`, [
        world.organisation.id,
        organisationName,
      ]);
      const reference = await referenceOf(world);

      await runOn('2026-03-23');
      const [email] = mail(world.manager);
      expect(email.from).toMatch(/@/);
      expect(email.parsed.text).toBeTruthy();
      expect(email.parsed.html).toBeTruthy();
      const link = `http://tracker.test/actions/${world.action.id}`;

      expect(email.text).toContain(`* ${title}`);
      expect(email.text).toContain(`Recommendation ${reference}, ${organisationName}`);
      expect(email.text).toContain('Was due Monday 16 March 2026: 7 days overdue');
      expect(email.text).toContain(link);
      expect(email.text).toContain('WHY YOU ARE GETTING THIS EMAIL');
      expect(email.text).toContain('You own these actions.');

      expect(email.html).toContain('<html lang="en">');
      expect(email.html).toContain(`<a href="${link}"`);
      expect(email.html).toContain('Train staff &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; review plans');
      expect(email.html).not.toContain('<script');
      expect(email.html).toContain(`Recommendation ${reference}, Kent &amp; Medway Probation Trust`);
      expect(email.html).toContain('Was due Monday 16 March 2026: 7 days overdue');
      expect(email.html).toContain('Why you are getting this email');
    });
  });
});
