import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

/**
 * Today is 2 March 2026. Alpha is in Pat's portfolio (a performance manager); Gamma in another's. Each test makes
 * its own completed actions, owned by Alpha's Head of Public Protection.
 */
describe('web: actions awaiting verification', () => {
  let api: ApiHarness;
  const f = {} as Record<string, { id: string; email: string }>;
  let recommendation: { id: string };
  let gammaRecommendation: { id: string };
  let pm: WebClient;

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const make = api.factories;
    const inspectorate = await make.inspectorate();
    f.A = (await make.organisation({ name: 'Alpha Probation Trust' })) as never;
    f.C = (await make.organisation({ name: 'Gamma Probation Trust' })) as never;
    const inspectionA = await make.inspection({ organisationId: f.A.id, inspectorateId: inspectorate.id });
    recommendation = await make.recommendation({
      inspectionId: inspectionA.id,
      ownerOrganisationId: f.A.id,
      reference: 'R7',
    });
    const inspectionC = await make.inspection({ organisationId: f.C.id, inspectorateId: inspectorate.id });
    gammaRecommendation = await make.recommendation({ inspectionId: inspectionC.id, ownerOrganisationId: f.C.id });
    f.owner = (await make.user({
      role: 'senior_manager',
      organisationId: f.A.id,
      name: 'Head of Public Protection',
    })) as never;
    f.pm = (await make.user({ role: 'performance_manager', portfolio: [f.A.id], name: 'Pat Performance' })) as never;
    f.otherPm = (await make.user({ role: 'performance_manager', portfolio: [f.C.id] })) as never;
    f.otherSm = (await make.user({ role: 'senior_manager', organisationId: f.C.id })) as never;
    f.viewer = (await make.user({ role: 'viewer', organisationId: f.A.id })) as never;
    f.admin = (await make.user({ role: 'admin', name: 'Ada Admin' })) as never;
    pm = new WebClient(api);
    await pm.signIn(f.pm);
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const completed = async (title: string, evidence: string | null = 'Audit report, March 2026') => {
    const action = await api.factories.action({
      recommendationId: recommendation.id,
      ownerId: f.owner.id,
      dueDate: '2026-02-27',
      status: 'completed',
      progress: 100,
      title,
    });
    await api.pool.query(`UPDATE actions SET evidence = $2, completed_at = '2026-02-26T10:00:00Z' WHERE id = $1`, [
      action.id,
      evidence,
    ]);
    return action;
  };
  const row = async (id: string) =>
    (
      await api.pool.query(
        'SELECT status, version, verified_by_id AS "verifiedById", progress FROM actions WHERE id = $1',
        [id],
      )
    ).rows[0];
  const cardOf = (html: string, id: string) =>
    new RegExp(
      `<div class="govuk-summary-card" data-qa="verification-card" data-action-id="${id}">[\\s\\S]*?</form>`,
    ).exec(html)?.[0];
  const decide = (client: WebClient, id: string, fields: Record<string, string>) =>
    client.submit(`/dashboard/verification/${id}`, { version: '1', comment: '', ...fields }, '/dashboard/verification');

  it('lists completed actions in the portfolio with their organisation, recommendation, owner, date and evidence', async () => {
    const action = await completed('Audit <risk> plans');
    const gamma = await api.factories.action({
      recommendationId: gammaRecommendation.id,
      dueDate: '2026-02-01',
      status: 'completed',
      progress: 100,
    });
    const res = await pm.get('/dashboard/verification');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>Awaiting verification - Dashboard - Recommendation Tracker</title>');
    expect(res.text).toMatch(/aria-current="page" href="\/dashboard\/verification">\s*Awaiting verification/);
    const card = cardOf(res.text, action.id)!;
    expect(card).toContain(`<a class="govuk-link" href="/actions/${action.id}">Audit &lt;risk&gt; plans</a>`);
    expect(card).toContain('Alpha Probation Trust');
    expect(card).toContain(`<a class="govuk-link" href="/recommendations/${recommendation.id}">R7</a>`);
    expect(card).toContain('Head of Public Protection');
    expect(card).toContain('26 February 2026 at 10:00');
    expect(card).toContain('Audit report, March 2026');
    expect(card).toContain('<input type="hidden" name="version" value="1">');
    expect(card).toMatch(/value="verify" name="decision"/);
    expect(card).toMatch(/value="reopen" name="decision"/);
    expect(res.text).not.toContain(gamma.id);
    await api.pool.query(`UPDATE actions SET status = 'cancelled' WHERE id = $1`, [action.id]);
  });

  it('verifies an action: the history records who verified it, and the list says so', async () => {
    const action = await completed('Verify me');
    const res = await decide(pm, action.id, { decision: 'verify', comment: 'Evidence seen at the board' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/verification');
    expect(await row(action.id)).toMatchObject({ status: 'verified', version: 2, verifiedById: f.pm.id });

    const list = await pm.get('/dashboard/verification');
    expect(list.text).toMatch(/govuk-notification-banner--success[\s\S]*Action verified/);
    expect(cardOf(list.text, action.id)).toBeUndefined();
    // The banner is shown once.
    expect((await pm.get('/dashboard/verification')).text).not.toContain('Action verified');

    const page = await pm.get(`/actions/${action.id}`);
    expect(page.text).toContain('Status: Completed to Verified');
    expect(page.text).toMatch(/Progress updated<\/h3>\s*<p class="moj-timeline__byline">by Pat Performance<\/p>/);
    expect(page.text).toContain('Evidence seen at the board');
  });

  it('reopens an action with a comment giving the reason', async () => {
    const action = await completed('Reopen me');
    const res = await decide(pm, action.id, { decision: 'reopen', comment: 'The audit covered only one office' });
    expect(res.status).toBe(303);
    expect(await row(action.id)).toMatchObject({ status: 'in_progress', version: 2 });
    expect((await pm.get('/dashboard/verification')).text).toContain('Action reopened');
    const page = await pm.get(`/actions/${action.id}`);
    expect(page.text).toContain('Status: Completed to In progress');
    expect(page.text).toContain('The audit covered only one office');
    expect(page.text).toContain('by Pat Performance');
  });

  it('refuses to reopen without a comment: 400, an error summary linking to the comment, nothing changed', async () => {
    const action = await completed('Reopen me without a reason');
    const res = await decide(pm, action.id, { decision: 'reopen' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Error: Awaiting verification - Dashboard - Recommendation Tracker</title>');
    expect(res.text).toContain('govuk-error-summary');
    expect(res.text).toContain(`href="#comment-${action.id}"`);
    expect(res.text).toContain('Reopening an action needs a comment giving the reason');
    expect(cardOf(res.text, action.id)).toContain('govuk-error-message');
    expect(await row(action.id)).toMatchObject({ status: 'completed', version: 1 });
  });

  it('refuses a decision that is neither verify nor reopen, keeping the comment typed', async () => {
    const action = await completed('Approve me');
    const res = await decide(pm, action.id, { decision: 'approve', comment: 'Looks <fine>' });
    expect(res.status).toBe(400);
    expect(res.text).toContain(`href="#decision-${action.id}"`);
    expect(res.text).toContain('Choose whether to verify or reopen the action');
    expect(cardOf(res.text, action.id)).toContain('Looks &lt;fine&gt;</textarea>');
    expect(await row(action.id)).toMatchObject({ status: 'completed', version: 1 });
  });

  it('refuses a decision without the form’s CSRF token', async () => {
    const action = await completed('Forged');
    const res = await pm.agent
      .post(`/dashboard/verification/${action.id}`)
      .type('form')
      .send({ version: '1', decision: 'verify' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form has expired');
    expect(await row(action.id)).toMatchObject({ status: 'completed', version: 1 });
    await api.pool.query(`UPDATE actions SET status = 'cancelled' WHERE id = $1`, [action.id]);
  });

  it('tells a stale decision plainly, changes nothing and keeps the comment', async () => {
    const action = await completed('Changed meanwhile');
    // The owner adds evidence after the page was read: version 2.
    const token = await api.tokenFor(f.owner);
    const patched = await api
      .http()
      .patch(`/api/v1/actions/${action.id}`)
      .set('Authorization', `Bearer ${token}`)
      .set('If-Match', '"1"')
      .send({ evidence: 'Audit report and the minutes' });
    expect(patched.status).toBe(200);

    const res = await decide(pm, action.id, { decision: 'verify', comment: 'Seen at the board' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Someone else changed this action while you were looking at it');
    expect(res.text).toContain('Nothing has been saved.');
    const card = cardOf(res.text, action.id)!;
    expect(card).toContain('Audit report and the minutes');
    expect(card).toContain('Seen at the board</textarea>');
    expect(card).toContain('<input type="hidden" name="version" value="2">');
    expect(await row(action.id)).toMatchObject({ status: 'completed', version: 2, verifiedById: null });

    // Deciding again from that page works.
    expect((await decide(pm, action.id, { decision: 'verify', version: '2' })).status).toBe(303);
    expect(await row(action.id)).toMatchObject({ status: 'verified', version: 3 });
  });

  it('keeps the comment of a stale decision on an action that is no longer awaiting verification', async () => {
    const action = await completed('Reopened meanwhile');
    await api.pool.query(`UPDATE actions SET status = 'in_progress', version = 2 WHERE id = $1`, [action.id]);
    const res = await decide(pm, action.id, { decision: 'reopen', comment: 'Needs the <second> audit' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('is now in progress, so it is no longer awaiting verification');
    expect(res.text).toContain(
      '<div class="govuk-inset-text" data-qa="kept-comment">Needs the &lt;second&gt; audit</div>',
    );
    expect(await row(action.id)).toMatchObject({ status: 'in_progress', version: 2 });
  });

  it('answers 404 for an action outside the portfolio, and changes nothing', async () => {
    const gamma = await api.factories.action({
      recommendationId: gammaRecommendation.id,
      dueDate: '2026-02-01',
      status: 'completed',
      progress: 100,
    });
    const res = await decide(pm, gamma.id, { decision: 'verify' });
    expect(res.status).toBe(404);
    expect(await row(gamma.id)).toMatchObject({ status: 'completed', version: 1 });
    expect((await decide(pm, 'not-an-id', { decision: 'verify' })).status).toBe(404);

    // The other performance manager sees and verifies it; an admin sees both organisations' actions.
    const other = new WebClient(api);
    await other.signIn(f.otherPm);
    expect(cardOf((await other.get('/dashboard/verification')).text, gamma.id)).toBeDefined();
    const admin = new WebClient(api);
    await admin.signIn(f.admin);
    const mine = await completed('Seen by the admin');
    const all = await admin.get('/dashboard/verification');
    expect(cardOf(all.text, gamma.id)).toBeDefined();
    expect(cardOf(all.text, mine.id)).toBeDefined();
    expect((await decide(admin, gamma.id, { decision: 'verify' })).status).toBe(303);
    expect(await row(gamma.id)).toMatchObject({ status: 'verified', verifiedById: f.admin.id });
    await api.pool.query(`UPDATE actions SET status = 'cancelled' WHERE id = $1`, [mine.id]);
  });

  it.each([
    ['senior manager of the organisation', 'owner'],
    ['senior manager of another', 'otherSm'],
    ['viewer', 'viewer'],
  ])('answers 404 to a %s, for the list and the decision', async (_who, key) => {
    const action = await completed('Not theirs to verify');
    const client = new WebClient(api);
    await client.signIn(f[key]);
    const list = await client.get('/dashboard/verification');
    expect(list.status).toBe(404);
    expect(list.text).not.toContain(action.id);
    const post = await client.submit(
      `/dashboard/verification/${action.id}`,
      { version: '1', decision: 'verify', comment: '' },
      '/',
    );
    expect(post.status).toBe(404);
    expect(await row(action.id)).toMatchObject({ status: 'completed', version: 1 });
    await api.pool.query(`UPDATE actions SET status = 'cancelled' WHERE id = $1`, [action.id]);
  });

  it('pages a long list with GOV.UK pagination, and returns to the page a decision was made on', async () => {
    const before = (await api.pool.query(`SELECT id FROM actions WHERE status = 'completed'`)).rows;
    await api.pool.query(`UPDATE actions SET status = 'cancelled' WHERE id = ANY($1::uuid[])`, [
      before.map((r) => r.id),
    ]);
    const made: string[] = [];
    for (let i = 0; i < 22; i++) made.push((await completed(`Batch ${String(i + 1).padStart(2, '0')}`)).id);
    const first = await pm.get('/dashboard/verification');
    expect(first.text).toContain('22 completed actions in your portfolio are awaiting verification.');
    expect(first.text.match(/data-qa="verification-card"/g)).toHaveLength(20);
    const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"/
      .exec(first.text)![1]
      .replace(/&amp;/g, '&');
    expect(next).toMatch(/^\/dashboard\/verification\?cursor=/);
    const second = await pm.get(next);
    expect(second.text.match(/data-qa="verification-card"/g)).toHaveLength(2);
    expect(second.text).toMatch(/rel="prev"/);

    // The forms on page two post back to page two.
    const secondId = /data-qa="verification-card" data-action-id="([^"]+)"/.exec(second.text)![1];
    const cursor = new URL(next, 'http://x').searchParams.get('cursor')!;
    expect(second.text).toContain(`action="/dashboard/verification/${secondId}?cursor=${cursor}"`);
    const res = await pm.submit(
      `/dashboard/verification/${secondId}?cursor=${cursor}`,
      { version: '1', decision: 'verify', comment: '' },
      next,
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/dashboard/verification?cursor=${cursor}`);
    expect(made).toContain(secondId);
  });
});
