import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;
type User = { id: string; email: string };

/**
 * Today is 2 March 2026. The organisation's recommendation R1 (agreed) has an overdue action owned by Sam (a senior
 * manager) and a verified one; Pat is Sam's colleague; Olly is a senior manager who no longer works there. Another
 * organisation has its own world.
 */
describe('web: the recommendation page, its response, and adding and assigning actions', () => {
  let api: ApiHarness;
  let world: World;
  let elsewhere: World;
  let verified: { id: string };
  const u = {} as Record<'admin' | 'pm' | 'pmOther' | 'sm' | 'colleague' | 'gone' | 'viewer' | 'smOther', User>;
  const clients = {} as Record<keyof typeof u, WebClient>;

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const make = api.factories;
    world = await make.world({ dueDate: '2026-02-20' });
    elsewhere = await make.world();
    await api.pool.query(`UPDATE users SET name = 'Sam Senior' WHERE id = $1`, [world.manager.id]);
    await api.pool.query(`UPDATE recommendations SET reference = 'R1' WHERE id = $1`, [world.recommendation.id]);
    verified = await make.action({
      recommendationId: world.recommendation.id,
      ownerId: world.manager.id,
      dueDate: '2026-01-31',
      status: 'verified',
      progress: 100,
      title: 'Audit <risk> plans',
    });
    u.sm = world.manager;
    u.viewer = world.viewer;
    u.smOther = elsewhere.manager;
    u.admin = await make.user({ role: 'admin' });
    u.pm = await make.user({ role: 'performance_manager', portfolio: [world.organisation.id] });
    u.pmOther = await make.user({ role: 'performance_manager', portfolio: [elsewhere.organisation.id] });
    const org = world.organisation.id;
    u.colleague = await make.user({ role: 'senior_manager', organisationId: org, name: 'Pat Partner' });
    u.gone = await make.user({ role: 'senior_manager', organisationId: org, name: 'Olly Left', active: false });
    for (const [key, user] of Object.entries(u)) {
      clients[key as keyof typeof u] = new WebClient(api);
      if (key !== 'gone') await clients[key as keyof typeof u].signIn(user);
    }
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const recommendationRow = async (id: string) =>
    (await api.pool.query('SELECT response, response_rationale, version FROM recommendations WHERE id = $1', [id]))
      .rows[0];
  const actionsOf = async (recommendationId: string) =>
    (
      await api.pool.query(
        'SELECT title, description, owner_id, due_date FROM actions WHERE recommendation_id = $1 ORDER BY created_at',
        [recommendationId],
      )
    ).rows;
  /** A summary list row's value, found by its key, as text. */
  const summaryRow = (html: string, key: string) => {
    const match = new RegExp(
      `<dt class="govuk-summary-list__key">\\s*${key}\\s*</dt>\\s*<dd class="govuk-summary-list__value">([\\s\\S]*?)</dd>`,
    ).exec(html);
    return match
      ? match[1]
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
      : '';
  };
  const newRecommendation = (response: 'accepted' | 'pending' | 'not_accepted' = 'pending', rationale?: string) =>
    api.factories.recommendation({
      inspectionId: world.inspection.id,
      ownerOrganisationId: world.organisation.id,
      response,
      responseRationale: rationale,
    });

  describe('the recommendation page', () => {
    it('shows the details, response, derived status and progress, and the actions with owners and RAG', async () => {
      const res = await clients.sm.get(`/recommendations/${world.recommendation.id}`);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/<title>Recommendation R1 - Inspection [0-9a-f]+ - Recommendation Tracker<\/title>/);
      expect(res.text).toContain('<h1 class="govuk-heading-l">Recommendation R1</h1>');
      expect(res.text).toContain(`href="/inspections/${world.inspection.id}"`);
      expect(res.text).toContain('Improve the management of risk of harm to others.');
      expect(res.text).toContain('Risk of harm to others');
      expect(res.text).toContain(world.organisation.name);
      expect(summaryRow(res.text, 'Response')).toContain('Agreed');
      expect(summaryRow(res.text, 'Rationale')).toContain('None given');
      expect(summaryRow(res.text, 'Status')).toContain('In progress');
      expect(summaryRow(res.text, 'Actions')).toBe('2');
      expect(summaryRow(res.text, 'Verified')).toBe('1');
      expect(summaryRow(res.text, 'Overdue')).toBe('1');
      expect(summaryRow(res.text, 'Complete')).toBe('50%');

      const rows = res.text.split('data-qa="action-row"').slice(1);
      expect(rows).toHaveLength(2);
      const [done, late] = rows; // by due date
      expect(late).toContain(`href="/actions/${world.action.id}"`);
      expect(late).toContain('Sam Senior');
      expect(late).toContain('20 February 2026');
      expect(late).toContain('10 days overdue');
      expect(late).toMatch(/govuk-tag--red" data-qa="rag">Red/);
      expect(late).toContain('Not started');
      expect(late).toContain('data-qa="assign"');
      expect(done).toContain('Audit &lt;risk&gt; plans');
      expect(done).toMatch(/govuk-tag--blue" data-qa="rag">Complete/);
      expect(done).toContain('Verified');
      // A verified action is closed: the domain will not give it a new owner, so no link is offered.
      expect(done).not.toContain('data-qa="assign"');
    });

    it.each([
      ['admin', true, true, true],
      ['pm', true, false, false],
      ['sm', true, true, true],
      ['viewer', false, false, false],
    ] as const)('shows a %s the page with the links their role may use', async (who, respond, add, assign) => {
      const res = await clients[who].get(`/recommendations/${world.recommendation.id}`);
      expect(res.status).toBe(200);
      expect(res.text.includes('data-qa="edit-response"')).toBe(respond);
      expect(res.text.includes('data-qa="add-action"')).toBe(add);
      expect(res.text.includes('data-qa="assign"')).toBe(assign);
    });

    it.each(['pmOther', 'smOther'] as const)('answers 404 to a %s, as the API does', async (who) => {
      const res = await clients[who].get(`/recommendations/${world.recommendation.id}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('Page not found');
      expect(res.text).not.toContain('Improve the management');
      expect((await clients[who].get(`/recommendations/${world.recommendation.id}/response`)).status).toBe(404);
      expect((await clients[who].get(`/recommendations/${world.recommendation.id}/actions/new`)).status).toBe(404);
    });

    it('answers 404 for ids that are not recommendations', async () => {
      expect((await clients.admin.get('/recommendations/not-a-uuid')).status).toBe(404);
      expect((await clients.admin.get('/recommendations/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });

    it('says when a recommendation was not agreed and offers no "Add an action"', async () => {
      const refused = await newRecommendation('not_accepted', 'The <Trust> already does this');
      const res = await clients.sm.get(`/recommendations/${refused.id}`);
      expect(summaryRow(res.text, 'Response')).toContain('Not agreed');
      expect(summaryRow(res.text, 'Rationale')).toContain('The &lt;Trust&gt; already does this');
      expect(summaryRow(res.text, 'Status')).toContain('Not accepted');
      expect(res.text).toContain('Not agreed: this recommendation takes no actions.');
      expect(res.text).not.toContain('data-qa="add-action"');
    });
  });

  describe('"Edit response"', () => {
    const post = (who: keyof typeof clients, id: string, fields: Record<string, string>) =>
      clients[who].submit(`/recommendations/${id}/response`, fields);

    it('saves a senior manager’s response and rationale through the service, with its version', async () => {
      const r = await newRecommendation();
      const form = await clients.sm.get(`/recommendations/${r.id}/response`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('<h1 class="govuk-heading-l">Edit the response to');
      expect(form.text).toMatch(/name="version" value="1"/);
      expect(form.text).not.toMatch(/name="response"[^>]*checked/);
      const res = await post('sm', r.id, {
        version: '1',
        response: 'partially_accepted',
        responseRationale: ' Only in the north ',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/recommendations/${r.id}`);
      expect(await recommendationRow(r.id)).toEqual({
        response: 'partially_accepted',
        response_rationale: 'Only in the north',
        version: 2,
      });
      const page = await clients.sm.get(`/recommendations/${r.id}`);
      expect(page.text).toContain('Response saved');
      expect(summaryRow(page.text, 'Response')).toContain('Partly agreed');
      expect(summaryRow(page.text, 'Rationale')).toContain('Only in the north');
    });

    it('lets a performance manager of the portfolio record it too', async () => {
      const r = await newRecommendation();
      expect((await post('pm', r.id, { version: '1', response: 'accepted' })).status).toBe(303);
      expect(await recommendationRow(r.id)).toMatchObject({ response: 'accepted', version: 2 });
    });

    it('records "Not agreed" with its rationale', async () => {
      const r = await newRecommendation();
      const res = await post('sm', r.id, { version: '1', response: 'not_accepted', responseRationale: 'Done already' });
      expect(res.status).toBe(303);
      expect(await recommendationRow(r.id)).toMatchObject({
        response: 'not_accepted',
        response_rationale: 'Done already',
      });
    });

    it.each([
      ['no response', { response: '' }, '#response', 'Select a response'],
      ['an unknown response', { response: 'maybe' }, '#response', 'Select a response'],
      [
        '"Not agreed" without a rationale (the service’s rule)',
        { response: 'not_accepted', responseRationale: '   ' },
        '#responseRationale',
        'A recommendation that is not accepted needs a rationale',
      ],
      [
        'a rationale too long',
        { response: 'accepted', responseRationale: 'x'.repeat(5001) },
        '#responseRationale',
        'Rationale must be 5000 characters or fewer',
      ],
    ])('refuses %s with a GOV.UK error summary, keeps the input, changes nothing', async (_, fields, href, message) => {
      const r = await newRecommendation();
      const res = await post('sm', r.id, { version: '1', ...fields });
      expect(res.status).toBe(400);
      expect(res.text).toContain('<title>Error: Edit the response to');
      expect(res.text).toContain('govuk-error-summary');
      expect(res.text).toContain(`href="${href}"`);
      expect(res.text).toContain(message);
      if (fields.response === 'not_accepted') expect(res.text).toMatch(/value="not_accepted" checked/);
      expect(await recommendationRow(r.id)).toEqual({ response: 'pending', response_rationale: null, version: 1 });
    });

    it('maps the service’s rule about open actions onto the response field', async () => {
      const res = await post('sm', world.recommendation.id, {
        version: '1',
        response: 'not_accepted',
        responseRationale: 'Changed our mind',
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('href="#response"');
      expect(res.text).toContain('This recommendation has 1 open action');
      expect(await recommendationRow(world.recommendation.id)).toMatchObject({ response: 'accepted', version: 1 });
    });

    it('tells a stale edit plainly, shows the saved response and keeps what the user typed', async () => {
      const r = await newRecommendation();
      const token = await api.tokenFor(u.pm);
      const patched = await api
        .http()
        .patch(`/api/v1/recommendations/${r.id}`)
        .set('Authorization', `Bearer ${token}`)
        .set('If-Match', '"1"')
        .send({ response: 'accepted' });
      expect(patched.status).toBe(200);

      const res = await post('sm', r.id, { version: '1', response: 'partially_accepted', responseRationale: 'Mine' });
      expect(res.status).toBe(409);
      expect(res.text).toContain('Someone else changed this recommendation while you were editing it');
      expect(res.text).toMatch(/value="partially_accepted" checked/);
      expect(res.text).toContain('>Mine</textarea>');
      expect(res.text).toMatch(/name="version" value="2"/);
      expect(summaryRow(res.text, 'Saved response')).toBe('Agreed');
      expect(await recommendationRow(r.id)).toMatchObject({ response: 'accepted', version: 2 });

      const again = await post('sm', r.id, { version: '2', response: 'partially_accepted', responseRationale: 'Mine' });
      expect(again.status).toBe(303);
      expect(await recommendationRow(r.id)).toMatchObject({ response: 'partially_accepted', version: 3 });
    });

    it('is not offered to a viewer: the form and its POST are the 404 page', async () => {
      const r = await newRecommendation();
      expect((await clients.viewer.get(`/recommendations/${r.id}/response`)).status).toBe(404);
      const res = await clients.viewer.submit(
        `/recommendations/${r.id}/response`,
        { version: '1', response: 'accepted' },
        `/recommendations/${r.id}`,
      );
      expect(res.status).toBe(404);
      expect(await recommendationRow(r.id)).toMatchObject({ response: 'pending', version: 1 });
    });

    it('refuses a POST without the CSRF token', async () => {
      const r = await newRecommendation();
      const res = await clients.sm.agent
        .post(`/recommendations/${r.id}/response`)
        .type('form')
        .send({ version: '1', response: 'accepted' });
      expect(res.status).toBe(403);
      expect(res.text).toContain('The form has expired');
      expect(await recommendationRow(r.id)).toMatchObject({ response: 'pending' });
    });
  });

  describe('"Add an action"', () => {
    const fields = (extra: Record<string, string> = {}) => ({
      title: 'Train every offender manager',
      description: 'Two sessions a month',
      ownerId: u.colleague.id,
      'dueDate-day': '30',
      'dueDate-month': '6',
      'dueDate-year': '2026',
      ...extra,
    });

    it('offers the organisation’s active senior managers as owners', async () => {
      const res = await clients.sm.get(`/recommendations/${world.recommendation.id}/actions/new`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<title>Add an action to R1 - ');
      expect(res.text).toContain(`<option value="${u.colleague.id}">Pat Partner</option>`);
      expect(res.text).toContain(`<option value="${u.sm.id}">Sam Senior</option>`);
      expect(res.text).not.toContain(u.gone.id);
      expect(res.text).not.toContain(u.viewer.id);
      expect(res.text).toContain('name="dueDate-day"');
    });

    it('adds the action through the service and shows it on the recommendation', async () => {
      const r = await newRecommendation('accepted');
      const res = await clients.sm.submit(`/recommendations/${r.id}/actions/new`, fields());
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/recommendations/${r.id}`);
      expect(await actionsOf(r.id)).toEqual([
        {
          title: 'Train every offender manager',
          description: 'Two sessions a month',
          owner_id: u.colleague.id,
          due_date: '2026-06-30',
        },
      ]);
      const page = await clients.sm.get(`/recommendations/${r.id}`);
      expect(page.text).toContain('Action added: Train every offender manager');
      expect(page.text).toContain('Pat Partner');
      expect(page.text).toContain('30 June 2026');
    });

    it('lets an admin add one, and leaves the owner for later when none is chosen', async () => {
      const r = await newRecommendation('accepted');
      const res = await clients.admin.submit(
        `/recommendations/${r.id}/actions/new`,
        fields({ ownerId: '', description: '', 'dueDate-month': 'Jul' }),
      );
      expect(res.status).toBe(303);
      expect(await actionsOf(r.id)).toMatchObject([{ owner_id: null, description: null, due_date: '2026-07-30' }]);
    });

    it.each([
      ['a blank title', { title: '  ' }, '#title', 'Enter a title'],
      ['a title too long', { title: 'x'.repeat(301) }, '#title', 'Title must be 300 characters or fewer'],
      [
        'no due date',
        { 'dueDate-day': '', 'dueDate-month': '', 'dueDate-year': '' },
        '#dueDate-day',
        'Enter the due date',
      ],
      ['no day', { 'dueDate-day': '' }, '#dueDate-day', 'Due date must include a day'],
      [
        'no month or year',
        { 'dueDate-month': '', 'dueDate-year': '' },
        '#dueDate-month',
        'Due date must include a month and year',
      ],
      ['31 February', { 'dueDate-day': '31', 'dueDate-month': '2' }, '#dueDate-day', 'Due date must be a real date'],
      ['month 13', { 'dueDate-month': '13' }, '#dueDate-month', 'Due date must be a real date'],
      ['a two-digit year', { 'dueDate-year': '26' }, '#dueDate-year', 'Year must include 4 numbers'],
      ['an owner not offered', { ownerId: 'someone' }, '#ownerId', 'Select an owner from the list'],
    ])('refuses %s naming the field, keeps the input and adds nothing', async (_, extra, href, message) => {
      const r = await newRecommendation('accepted');
      const res = await clients.sm.submit(`/recommendations/${r.id}/actions/new`, fields(extra));
      expect(res.status).toBe(400);
      expect(res.text).toContain('<title>Error: Add an action to');
      expect(res.text).toContain(`href="${href}"`);
      expect(res.text).toContain(message);
      expect(res.text).toContain('Two sessions a month</textarea>');
      expect(await actionsOf(r.id)).toEqual([]);
    });

    it('highlights only the parts of the date in error', async () => {
      const r = await newRecommendation('accepted');
      const res = await clients.sm.submit(`/recommendations/${r.id}/actions/new`, fields({ 'dueDate-month': '' }));
      expect(res.text).toMatch(/govuk-input--error" id="dueDate-month"/);
      expect(res.text).not.toMatch(/govuk-input--error" id="dueDate-day"/);
      expect(res.text).toContain('value="30"');
    });

    it('refuses an owner from another organisation', async () => {
      const r = await newRecommendation('accepted');
      const res = await clients.admin.submit(`/recommendations/${r.id}/actions/new`, fields({ ownerId: u.smOther.id }));
      expect(res.status).toBe(400);
      expect(res.text).toContain('Select an owner from the list');
      expect(await actionsOf(r.id)).toEqual([]);
    });

    it('shows the service’s refusal for a recommendation that was not agreed', async () => {
      const r = await newRecommendation('not_accepted', 'No');
      const res = await clients.sm.submit(`/recommendations/${r.id}/actions/new`, fields());
      expect(res.status).toBe(400);
      expect(res.text).toContain('This recommendation was not accepted, so it takes no actions');
      expect(await actionsOf(r.id)).toEqual([]);
    });

    it.each(['pm', 'viewer'] as const)('is the 404 page for a %s, whose role does not add actions', async (who) => {
      const r = await newRecommendation('accepted');
      expect((await clients[who].get(`/recommendations/${r.id}/actions/new`)).status).toBe(404);
      const res = await clients[who].submit(
        `/recommendations/${r.id}/actions/new`,
        fields(),
        `/recommendations/${r.id}`,
      );
      expect(res.status).toBe(404);
      expect(await actionsOf(r.id)).toEqual([]);
    });
  });

  describe('"Assign"', () => {
    let action: { id: string };
    beforeEach(async () => {
      action = await api.factories.action({
        recommendationId: world.recommendation.id,
        ownerId: u.sm.id,
        dueDate: '2026-05-01',
        title: 'Refresh the risk register',
      });
    });
    const path = () => `/recommendations/${world.recommendation.id}/actions/${action.id}/assign`;
    const ownerAndVersion = async () =>
      (await api.pool.query('SELECT owner_id, version FROM actions WHERE id = $1', [action.id])).rows[0];

    it('gives the action a new owner with a comment in its history', async () => {
      const form = await clients.sm.get(path());
      expect(form.status).toBe(200);
      expect(form.text).toContain('<title>Assign Refresh the risk register - Recommendation Tracker</title>');
      expect(summaryRow(form.text, 'Owner now')).toBe('Sam Senior');
      expect(form.text).toContain(`<option value="${u.sm.id}" selected>Sam Senior</option>`);
      expect(form.text).not.toContain(u.gone.id);
      const res = await clients.sm.submit(path(), { version: '1', ownerId: u.colleague.id, comment: 'Pat leads this' });
      expect(res.status).toBe(303);
      expect(await ownerAndVersion()).toEqual({ owner_id: u.colleague.id, version: 2 });
      const page = await clients.sm.get(`/recommendations/${world.recommendation.id}`);
      expect(page.text).toContain('Refresh the risk register is now owned by Pat Partner');
      const history = await clients.sm.get(`/actions/${action.id}`);
      expect(history.text).toContain('Pat leads this');
    });

    it.each<[string, () => Record<string, string>, string, string?]>([
      ['no owner', () => ({ ownerId: '' }), 'Select the new owner'],
      ['an owner not offered', () => ({ ownerId: 'x' }), 'Select an owner from the list'],
      ['the same owner', () => ({ ownerId: u.sm.id }), 'Select someone else: this person already owns it'],
      ['a manager no longer active', () => ({ ownerId: u.gone.id }), 'Select an owner from the list'],
      [
        'a comment too long',
        () => ({ comment: 'c'.repeat(5001) }),
        'Comment must be 5000 characters or fewer',
        '#comment',
      ],
    ])('refuses %s naming the field and changes nothing', async (_, fields, message, href = '#ownerId') => {
      const res = await clients.sm.submit(path(), { version: '1', ownerId: u.colleague.id, ...fields() });
      expect(res.status).toBe(400);
      expect(res.text).toContain('govuk-error-summary');
      expect(res.text).toContain(`<a href="${href}">${message}</a>`);
      expect(await ownerAndVersion()).toEqual({ owner_id: u.sm.id, version: 1 });
    });

    it('tells a stale edit plainly and keeps the choice', async () => {
      await api.pool.query(`UPDATE actions SET progress = 10, version = version + 1 WHERE id = $1`, [action.id]);
      const res = await clients.sm.submit(path(), { version: '1', ownerId: u.colleague.id, comment: 'Handing on' });
      expect(res.status).toBe(409);
      expect(res.text).toContain('Someone else changed this action while you were editing it');
      expect(res.text).toContain(`<option value="${u.colleague.id}" selected>Pat Partner</option>`);
      expect(res.text).toContain('Handing on</textarea>');
      expect(res.text).toMatch(/name="version" value="2"/);
      expect(await ownerAndVersion()).toEqual({ owner_id: u.sm.id, version: 2 });
    });

    it('is not offered to a performance manager, and the service refuses their POST', async () => {
      expect((await clients.pm.get(path())).status).toBe(404);
      const res = await clients.pm.submit(
        path(),
        { version: '1', ownerId: u.colleague.id },
        `/recommendations/${world.recommendation.id}`,
      );
      expect(res.status).toBe(403);
      expect(res.text).toContain('Performance managers can verify, reopen or comment on an action, not edit it');
      expect(await ownerAndVersion()).toEqual({ owner_id: u.sm.id, version: 1 });
    });

    it.each(['viewer', 'smOther', 'pmOther'] as const)('is the 404 page for a %s', async (who) => {
      expect((await clients[who].get(path())).status).toBe(404);
      const res = await clients[who].submit(path(), { version: '1', ownerId: u.colleague.id }, '/');
      expect(res.status).toBe(404);
      expect(await ownerAndVersion()).toEqual({ owner_id: u.sm.id, version: 1 });
    });

    it('is the 404 page for a closed action, or an action of another recommendation', async () => {
      expect(
        (await clients.sm.get(`/recommendations/${world.recommendation.id}/actions/${verified.id}/assign`)).status,
      ).toBe(404);
      const other = await newRecommendation('accepted');
      expect((await clients.sm.get(`/recommendations/${other.id}/actions/${action.id}/assign`)).status).toBe(404);
    });
  });
});
