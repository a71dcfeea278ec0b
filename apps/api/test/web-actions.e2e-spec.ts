import { ActionStatus } from '@rt/domain';
import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;

const TODAY = '2026-03-02';

describe('web: "Your actions" and the action page', () => {
  let api: ApiHarness;
  let world: World;
  let overdue: { id: string };
  let dueSoon: { id: string };
  let later: { id: string };
  let manager: WebClient;

  beforeAll(async () => {
    api = await startApi({ today: TODAY });
    world = await api.factories.world({ dueDate: '2026-02-20' });
    overdue = world.action;
    const owned = { recommendationId: world.recommendation.id, ownerId: world.manager.id };
    dueSoon = await api.factories.action({ ...owned, dueDate: '2026-03-10', title: 'Audit <risk> plans' });
    later = await api.factories.action({ ...owned, dueDate: '2026-09-30', status: 'in_progress', progress: 60 });
    manager = new WebClient(api);
    await manager.signIn(world.manager);
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const as = async (user: { email: string }) => {
    const client = new WebClient(api);
    await client.signIn(user);
    return client;
  };
  const overseer = () => api.factories.user({ role: 'performance_manager', portfolio: [world.organisation.id] });
  /** The update form's status radios, in order. */
  const statusChoices = (html: string) =>
    [...html.matchAll(/name="status" type="radio" value="([^"]+)"/g)].map((m) => m[1]);
  /** The update form's fields besides the status, in order. */
  const fields = (html: string) =>
    [...html.matchAll(/<(?:input|textarea)[^>]* name="(progress|dueDate-day|comment|evidence)"/g)].map((m) => m[1]);
  const heading = (html: string) => /<h2 class="govuk-heading-m" id="update-progress">([^<]*)<\/h2>/.exec(html)?.[1];
  /** The action page offers only "Add a comment" (no status, no other field) and says why. */
  const expectCommentOnly = (html: string, why: string) => {
    expect(heading(html)).toBe('Add a comment');
    expect(statusChoices(html)).toEqual([]);
    expect(fields(html)).toEqual(['comment']);
    expect(html).toContain(why);
  };
  const breadcrumbs = (html: string) =>
    [...html.matchAll(/<a class="govuk-breadcrumbs__link" href="([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);

  const section = (html: string, id: string) => {
    const match = new RegExp(`<table class="govuk-table" id="${id}"[\\s\\S]*?</table>`).exec(html);
    return match ? match[0] : '';
  };

  describe('Your actions', () => {
    it('groups a senior manager’s actions into overdue, due soon and the rest, with RAG tags and counts', async () => {
      const res = await manager.get('/');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<h1 class="govuk-heading-l">Your actions</h1>');
      expect(section(res.text, 'overdue')).toContain(`/actions/${overdue.id}`);
      expect(section(res.text, 'overdue')).toContain('govuk-tag--red');
      expect(section(res.text, 'overdue')).toContain('10 days overdue');
      expect(section(res.text, 'due-soon')).toContain(`/actions/${dueSoon.id}`);
      expect(section(res.text, 'due-soon')).toContain('govuk-tag--orange');
      expect(section(res.text, 'later')).toContain(`/actions/${later.id}`);
      expect(section(res.text, 'later')).toContain('govuk-tag--green');
      expect(res.text).toContain('1 overdue');
      expect(res.text).toContain('1 due in the next 14 days');
      expect(res.text).toContain('1 other');
      // Output is escaped.
      expect(res.text).toContain('Audit &lt;risk&gt; plans');
      expect(res.text).not.toContain('Audit <risk> plans');
    });

    it('shows only the signed-in manager’s own actions', async () => {
      const colleague = await api.factories.user({ role: 'senior_manager', organisationId: world.organisation.id });
      const theirs = await api.factories.action({
        recommendationId: world.recommendation.id,
        ownerId: colleague.id,
        dueDate: '2026-02-01',
      });
      expect((await manager.get('/')).text).not.toContain(theirs.id);
      const client = new WebClient(api);
      await client.signIn(colleague);
      const res = await client.get('/');
      expect(res.text).toContain(theirs.id);
      expect(res.text).not.toContain(overdue.id);
    });

    it.each([
      ['viewer', () => world.viewer],
      ['performance manager', () => ({ email: '' })],
    ])('tells a %s with no actions of their own so', async (role, who) => {
      let user = who();
      if (!user.email) {
        user = await api.factories.user({ role: 'performance_manager', portfolio: [world.organisation.id] });
      }
      const client = new WebClient(api);
      await client.signIn(user);
      const res = await client.get('/');
      expect(res.status).toBe(200);
      expect(res.text).toContain('You have no actions assigned to you.');
      expect(res.text).toContain('0 overdue');
    });

    it('filters by status, due date and inspection with a GET form', async () => {
      const byStatus = await manager.get('/?status=in_progress');
      expect(byStatus.text).toContain(later.id);
      expect(byStatus.text).not.toContain(`/actions/${overdue.id}`);
      expect(byStatus.text).toMatch(/value="in_progress" checked/);
      expect(byStatus.text).toContain('1 action match your filters');

      const byDue = await manager.get('/?due=overdue');
      expect(byDue.text).toContain(`/actions/${overdue.id}`);
      expect(byDue.text).not.toContain(`/actions/${dueSoon.id}`);
      expect((await manager.get('/?due=soon')).text).toContain(`/actions/${dueSoon.id}`);
      expect((await manager.get('/?due=later')).text).not.toContain(`/actions/${dueSoon.id}`);

      const other = await api.factories.inspection({
        organisationId: world.organisation.id,
        inspectorateId: world.inspectorate.id,
      });
      expect((await manager.get(`/?inspection=${world.inspection.id}`)).text).toContain(`/actions/${overdue.id}`);
      expect((await manager.get(`/?inspection=${other.id}`)).text).toContain('No actions match your filters.');
      // The inspection filter offers the inspections her actions serve, not every inspection of her organisation.
      const choices = (await manager.get('/?status=completed')).text;
      expect(choices).toContain(`<option value="${world.inspection.id}"`);
      expect(choices).not.toContain(`<option value="${other.id}"`);
      // Nonsense filters are ignored rather than refused.
      expect((await manager.get('/?status=nope&inspection=x&due=whenever&cursor=%%%')).status).toBe(200);
    });

    it('pages long lists with GOV.UK pagination', async () => {
      const busy = await api.factories.user({ role: 'senior_manager', organisationId: world.organisation.id });
      for (let i = 0; i < 23; i++) {
        await api.factories.action({
          recommendationId: world.recommendation.id,
          ownerId: busy.id,
          dueDate: `2026-04-${String(i + 1).padStart(2, '0')}`,
          title: `Busy action ${String(i + 1).padStart(2, '0')}`,
        });
      }
      const client = new WebClient(api);
      await client.signIn(busy);
      const first = await client.get('/');
      expect(first.text).toContain('23 actions assigned to you');
      expect((first.text.match(/data-qa="action-row"/g) ?? []).length).toBe(20);
      expect(first.text).toContain('govuk-pagination');
      const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"/.exec(first.text)![1];
      const second = await client.get(next.replace(/&amp;/g, '&'));
      expect((second.text.match(/data-qa="action-row"/g) ?? []).length).toBe(3);
      expect(second.text).toContain('Busy action 23');
      expect(second.text).toMatch(/rel="prev"/);
    });
  });

  describe('the action page', () => {
    it('shows the action, the recommendation and inspection it serves, and its history', async () => {
      const res = await manager.get(`/actions/${overdue.id}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('20 February 2026');
      expect(res.text).toContain('Improve the management of risk of harm to others.');
      expect(res.text).toContain('Risk of harm to others');
      expect(res.text).toContain('data-qa="history"');
      expect(res.text).toContain('moj-timeline');
      expect(res.text).toContain('data-qa="update-form"');
      expect(res.text).toMatch(/name="version" value="1"/);
    });

    it('answers 404 for an action outside the user’s organisation, as the API does', async () => {
      const elsewhere = await api.factories.world({ dueDate: '2026-02-20' });
      const res = await manager.get(`/actions/${elsewhere.action.id}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('Page not found');
      expect(res.text).not.toContain(elsewhere.action.id);
      expect((await manager.get('/actions/not-a-uuid')).status).toBe(404);
    });

    it('links the recommendation and inspection it serves, with breadcrumbs from where the role starts', async () => {
      const res = await manager.get(`/actions/${overdue.id}`);
      expect(breadcrumbs(res.text)).toEqual([
        ['/', 'Your actions'],
        [`/inspections/${world.inspection.id}`, expect.stringMatching(/^Inspection /)],
        [`/recommendations/${world.recommendation.id}`, expect.stringMatching(/^Recommendation R/)],
      ]);
      expect(res.text).toMatch(
        new RegExp(
          `<a class="govuk-link" href="/recommendations/${world.recommendation.id}" data-qa="recommendation-link">R`,
        ),
      );
      expect(res.text).toContain(`href="/inspections/${world.inspection.id}" data-qa="inspection-link">Inspection `);
      expect(res.text).not.toContain('govuk-back-link');

      for (const who of [await overseer(), await api.factories.user({ role: 'admin' })]) {
        const page = await (await as(who)).get(`/actions/${overdue.id}`);
        expect(breadcrumbs(page.text)[0]).toEqual(['/dashboard', 'Dashboard']);
        expect(breadcrumbs(page.text)).toHaveLength(3);
      }
      const viewer = await (await as(world.viewer)).get(`/actions/${overdue.id}`);
      expect(breadcrumbs(viewer.text)[0]).toEqual(['/', 'Your actions']);
    });

    it('escapes the inspection title and recommendation reference in those links', async () => {
      const inspection = await api.factories.inspection({
        organisationId: world.organisation.id,
        inspectorateId: world.inspectorate.id,
        title: 'Kent <b>2014</b>',
      });
      const recommendation = await api.factories.recommendation({
        inspectionId: inspection.id,
        ownerOrganisationId: world.organisation.id,
        reference: 'R<9>',
      });
      const action = await api.factories.action({ recommendationId: recommendation.id, dueDate: '2026-05-01' });
      const res = await manager.get(`/actions/${action.id}`);
      expect(res.text).toContain('data-qa="inspection-link">Kent &lt;b&gt;2014&lt;/b&gt;</a>');
      expect(res.text).toContain('data-qa="recommendation-link">R&lt;9&gt;</a>');
      expect(res.text).not.toContain('<b>2014');
      expect(res.text).not.toContain('R<9>');
    });

    it('answers 404 to a performance manager whose portfolio does not hold the organisation', async () => {
      const other = await api.factories.world();
      const outsider = await api.factories.user({ role: 'performance_manager', portfolio: [other.organisation.id] });
      const res = await (await as(outsider)).get(`/actions/${overdue.id}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(overdue.id);
    });

    it('shows a viewer the action without the update form, and says why', async () => {
      const client = new WebClient(api);
      await client.signIn(world.viewer);
      const res = await client.get(`/actions/${overdue.id}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('data-qa="update-form"');
      expect(res.text).not.toContain('name="comment"');
      expect(res.text).toContain('You can see this action, but your role cannot change it or comment on it.');
      const post = await client.submit(
        `/actions/${overdue.id}`,
        { version: '1', status: 'in_progress', progress: '5' },
        '/',
      );
      expect(post.status).toBe(403);
    });
  });

  describe('what the update form offers, as the domain allows it', () => {
    let overseerClient: WebClient;
    beforeAll(async () => {
      overseerClient = await as(await overseer());
    });
    const actionIn = (status: ActionStatus) =>
      api.factories.action({
        recommendationId: world.recommendation.id,
        ownerId: world.manager.id,
        dueDate: '2026-02-25',
        status,
        progress: status === 'completed' || status === 'verified' ? 100 : 30,
      });
    const row = async (id: string) =>
      (await api.pool.query('SELECT status, progress, evidence, version FROM actions WHERE id = $1', [id])).rows[0];

    it('offers a senior manager on an open action every move from its status and every field', async () => {
      const res = await manager.get(`/actions/${later.id}`);
      expect(heading(res.text)).toBe('Update progress');
      expect(statusChoices(res.text)).toEqual(['in_progress', 'blocked', 'completed', 'cancelled']);
      expect(res.text).toMatch(/value="in_progress" checked/);
      expect(fields(res.text)).toEqual(['progress', 'dueDate-day', 'comment', 'evidence']);
      expect(res.text).not.toContain('data-qa="read-only-reason"');
    });

    it('offers an admin the same on an open action', async () => {
      const res = await (await as(await api.factories.user({ role: 'admin' }))).get(`/actions/${later.id}`);
      expect(statusChoices(res.text)).toEqual(['in_progress', 'blocked', 'completed', 'cancelled']);
      expect(fields(res.text)).toEqual(['progress', 'dueDate-day', 'comment', 'evidence']);
    });

    it('lets a senior manager reopen, cancel, re-date or add evidence to a completed action, but not verify it', async () => {
      const completed = await actionIn('completed');
      const res = await manager.get(`/actions/${completed.id}`);
      expect(statusChoices(res.text)).toEqual(['in_progress', 'completed', 'cancelled']);
      expect(fields(res.text)).toEqual(['progress', 'dueDate-day', 'comment', 'evidence']);

      const verify = await manager.submit(`/actions/${completed.id}`, {
        version: '1',
        status: 'verified',
        progress: '100',
      });
      expect(verify.status).toBe(422);
      expect(verify.text).toContain(
        'Only a performance manager for this organisation (or an admin) can verify an action',
      );
      expect(await row(completed.id)).toMatchObject({ status: 'completed', version: 1 });

      const evidence = await manager.submit(`/actions/${completed.id}`, {
        version: '1',
        status: 'completed',
        progress: '100',
        evidence: 'Audit report filed',
      });
      expect(evidence.status).toBe(303);
      expect(await row(completed.id)).toMatchObject({
        status: 'completed',
        evidence: 'Audit report filed',
        version: 2,
      });
    });

    it('offers a performance manager on a completed action only verify or reopen, and a comment', async () => {
      const completed = await actionIn('completed');
      const res = await overseerClient.get(`/actions/${completed.id}`);
      expect(heading(res.text)).toBe('Update progress');
      expect(statusChoices(res.text)).toEqual(['in_progress', 'completed', 'verified']);
      expect(fields(res.text)).toEqual(['comment']);

      // The form posts no progress or evidence: they stay as they are.
      const verified = await overseerClient.submit(`/actions/${completed.id}`, {
        version: '1',
        status: 'verified',
        comment: 'Audit records seen',
      });
      expect(verified.status).toBe(303);
      expect(await row(completed.id)).toMatchObject({ status: 'verified', progress: 100, version: 2 });
      const page = await overseerClient.get(`/actions/${completed.id}`);
      expect(page.text).toContain('Status: Completed to Verified');
    });

    it('offers a performance manager on a verified action only reopening, which needs a reason', async () => {
      const verified = await actionIn('verified');
      const res = await overseerClient.get(`/actions/${verified.id}`);
      expect(statusChoices(res.text)).toEqual(['in_progress', 'verified']);
      expect(fields(res.text)).toEqual(['comment']);

      const bare = await overseerClient.submit(`/actions/${verified.id}`, { version: '1', status: 'in_progress' });
      expect(bare.status).toBe(422);
      expect(bare.text).toContain('href="#comment"');
      expect(bare.text).toContain('Reopening an action needs a comment giving the reason');
      expect(statusChoices(bare.text)).toEqual(['in_progress', 'verified']);
      expect(await row(verified.id)).toMatchObject({ status: 'verified', version: 1 });

      const reopened = await overseerClient.submit(`/actions/${verified.id}`, {
        version: '1',
        status: 'in_progress',
        comment: 'Sample of plans fell short',
      });
      expect(reopened.status).toBe(303);
      expect(await row(verified.id)).toMatchObject({ status: 'in_progress', version: 2 });
    });

    it('offers a performance manager on an open action only a comment, and says why', async () => {
      const res = await overseerClient.get(`/actions/${later.id}`);
      expectCommentOnly(
        res.text,
        'Performance managers can verify, reopen or comment on an action, not edit it. You can still add a comment',
      );
    });

    it('offers a senior manager only a comment on a verified action, says why, and changes nothing else', async () => {
      const verified = await actionIn('verified');
      const res = await manager.get(`/actions/${verified.id}`);
      expectCommentOnly(
        res.text,
        'A verified action cannot be edited; reopen it first. Only a performance manager for this organisation ' +
          '(or an admin) can reopen a verified action.',
      );

      // Fields the form did not offer are left alone, whatever is posted.
      const crafted = await manager.submit(`/actions/${verified.id}`, {
        version: '1',
        status: 'in_progress',
        progress: '5',
      });
      expect(crafted.status).toBe(400);
      expect(crafted.text).toContain('<a href="#comment">Enter a comment</a>');
      expect(await row(verified.id)).toMatchObject({ status: 'verified', progress: 100, version: 1 });

      const comment = await manager.submit(`/actions/${verified.id}`, { version: '1', comment: 'Shared at the board' });
      expect(comment.status).toBe(303);
      expect((await manager.get(`/actions/${verified.id}`)).text).toContain('Shared at the board');
      expect(await row(verified.id)).toMatchObject({ status: 'verified', version: 1 });
    });

    it('offers a senior manager only a comment on a cancelled action, and says why', async () => {
      const cancelled = await actionIn('cancelled');
      const res = await manager.get(`/actions/${cancelled.id}`);
      expectCommentOnly(res.text, 'A cancelled action cannot be edited. You can still add a comment to its history.');
    });
  });

  describe('updating progress', () => {
    let action: { id: string };
    beforeEach(async () => {
      action = await api.factories.action({
        recommendationId: world.recommendation.id,
        ownerId: world.manager.id,
        dueDate: '2026-02-25',
      });
    });
    const update = (fields: Record<string, string>) =>
      manager.submit(`/actions/${action.id}`, {
        version: '1',
        status: 'not_started',
        progress: '0',
        comment: '',
        evidence: '',
        'dueDate-day': '',
        'dueDate-month': '',
        'dueDate-year': '',
        ...fields,
      });
    const row = async () =>
      (await api.pool.query('SELECT status, progress, due_date, version FROM actions WHERE id = $1', [action.id]))
        .rows[0];

    it('saves through the domain, says so, and shows the change and comment in the history', async () => {
      const res = await update({ status: 'in_progress', progress: '40', comment: 'Risk plans audited in Maidstone' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/actions/${action.id}`);
      expect(await row()).toMatchObject({ status: 'in_progress', progress: 40, version: 2 });
      const page = await manager.get(`/actions/${action.id}`);
      expect(page.text).toContain('Action updated');
      expect(page.text).toContain('Risk plans audited in Maidstone');
      expect(page.text).toContain('Status: Not started to In progress');
      expect(page.text).toContain('Progress: 0% to 40%');
      expect(page.text).toMatch(/name="version" value="2"/);
    });

    it('re-dates an action with a reason', async () => {
      const res = await update({
        'dueDate-day': '30',
        'dueDate-month': '4',
        'dueDate-year': '2026',
        comment: 'Waiting for the new case system',
      });
      expect(res.status).toBe(303);
      expect(await row()).toMatchObject({ due_date: '2026-04-30' });
    });

    it.each([
      [{ progress: '150' }, '#progress', 'Enter progress as a whole number from 0 to 100'],
      [{ status: 'sideways' }, '#status', 'Select a status'],
      [
        { 'dueDate-day': '31', 'dueDate-month': '2', 'dueDate-year': '2026', comment: 'x' },
        '#dueDate-day',
        'New due date must be a real date',
      ],
      [
        { 'dueDate-day': '30', 'dueDate-month': '', 'dueDate-year': '2026', comment: 'x' },
        '#dueDate-month',
        'New due date must include a month',
      ],
      [
        { 'dueDate-day': '30', 'dueDate-month': '4', 'dueDate-year': '2026' },
        '#comment',
        'Changing the due date needs a comment giving the reason',
      ],
      [{ status: 'verified' }, '#status', 'An action that is not_started cannot become verified'],
      [{ evidence: '' }, '#comment', 'Enter a comment, or change the status, progress, evidence or due date'],
    ])('names the field in a GOV.UK error summary and keeps the input: %j', async (fields, href, message) => {
      const res = await update({ evidence: 'Kept <evidence>', ...fields });
      expect([422, 400]).toContain(res.status);
      expect(res.text).toContain('govuk-error-summary');
      expect(res.text).toContain(`href="${href}"`);
      expect(res.text).toContain(message);
      expect(res.text).toContain('govuk-error-message');
      if (!('evidence' in fields)) expect(res.text).toContain('Kept &lt;evidence&gt;');
      expect(res.text).toContain('<title>Error: ');
      expect(await row()).toMatchObject({ status: 'not_started', version: 1 });
    });

    it('marks only the boxes of the new due date that are in error', async () => {
      const res = await update({ 'dueDate-day': '30', 'dueDate-month': '', 'dueDate-year': '26', comment: 'x' });
      expect(res.status).toBe(400);
      const boxInError = (part: string) =>
        new RegExp(`class="[^"]*govuk-input--error[^"]*" id="dueDate-${part}"`).test(res.text);
      expect([boxInError('day'), boxInError('month'), boxInError('year')]).toEqual([false, true, false]);
      expect(res.text).toContain('New due date must include a month');
    });

    it('tells a stale edit plainly, shows the newer action and keeps what the user typed', async () => {
      const token = await api.tokenFor(world.manager);
      const patched = await api
        .http()
        .patch(`/api/v1/actions/${action.id}`)
        .set('Authorization', `Bearer ${token}`)
        .set('If-Match', '"1"')
        .send({ status: 'in_progress', progress: 20 });
      expect(patched.status).toBe(200);

      const res = await update({ status: 'blocked', progress: '25', comment: 'Waiting on police data' });
      expect(res.status).toBe(409);
      expect(res.text).toContain('Someone else updated this action while you were editing it');
      expect(res.text).toContain('Waiting on police data');
      expect(res.text).toMatch(/name="progress" type="text" value="25"|value="25"/);
      expect(res.text).toMatch(/value="blocked" checked/);
      expect(res.text).toMatch(/name="version" value="2"/);
      expect(await row()).toMatchObject({ status: 'in_progress', progress: 20, version: 2 });

      // Saving again from that page applies the user's change on top of the other one.
      const again = await update({
        version: '2',
        status: 'blocked',
        progress: '25',
        comment: 'Waiting on police data',
      });
      expect(again.status).toBe(303);
      expect(await row()).toMatchObject({ status: 'blocked', progress: 25, version: 3 });
    });
  });
});
