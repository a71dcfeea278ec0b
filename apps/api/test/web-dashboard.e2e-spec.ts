import { RollupsService } from '@rt/domain';
import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

/**
 * Today is Monday 2 March 2026 (London). The performance manager's portfolio is A and B; C belongs to another.
 *   A: a1 not started, due 20 Feb (overdue, red); a2 in progress 20%, due 10 Mar (amber); a3 completed (awaiting
 *      verification); a4 verified; a5 blocked, due 30 Apr, first due 1 Apr (red, slipped 29 days)
 *      → 5 actions, 40% complete, 1 overdue, red 2, amber 1, green 0, complete 2, slippage 29, 1 awaiting
 *   B: b1 in progress 60%, due 25 Feb (overdue, red); b2 b3 not started, due 1 Jun (green)
 *      → 3 actions, 0% complete, 1 overdue, red 1, amber 0, green 2, complete 0, slippage 0, 0 awaiting
 */
describe('web: the performance manager dashboard', () => {
  let api: ApiHarness;
  const f = {} as Record<string, { id: string; email: string }>;
  let pm: WebClient;

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const make = api.factories;
    const inspectorate = await make.inspectorate();
    const org = async (name: string) => (await make.organisation({ name, region: 'south_east' })) as never;
    f.A = await org('Alpha <Probation> Trust');
    f.B = await org('Beta Probation Trust');
    f.C = await org('Gamma Probation Trust');
    const recommendationOf = async (organisationId: string) => {
      const inspection = await make.inspection({ organisationId, inspectorateId: inspectorate.id });
      return make.recommendation({ inspectionId: inspection.id, ownerOrganisationId: organisationId });
    };
    const RA = await recommendationOf(f.A.id);
    const RB = await recommendationOf(f.B.id);
    const RC = await recommendationOf(f.C.id);
    const act = (recommendationId: string, dueDate: string, status = 'not_started', progress = 0) =>
      make.action({ recommendationId, dueDate, status: status as never, progress });
    await act(RA.id, '2026-02-20');
    await act(RA.id, '2026-03-10', 'in_progress', 20);
    await act(RA.id, '2026-02-01', 'completed', 100);
    await act(RA.id, '2026-01-15', 'verified', 100);
    const slipped = await act(RA.id, '2026-04-30', 'blocked', 10);
    await api.pool.query(`UPDATE actions SET original_due_date = '2026-04-01' WHERE id = $1`, [slipped.id]);
    await act(RB.id, '2026-02-25', 'in_progress', 60);
    await act(RB.id, '2026-06-01');
    await act(RB.id, '2026-06-01');
    for (let i = 0; i < 4; i++) await act(RC.id, '2026-01-01');
    f.pm = (await make.user({ role: 'performance_manager', portfolio: [f.A.id, f.B.id] })) as never;
    f.otherPm = (await make.user({ role: 'performance_manager', portfolio: [f.C.id] })) as never;
    f.sm = (await make.user({ role: 'senior_manager', organisationId: f.A.id })) as never;
    f.viewer = (await make.user({ role: 'viewer', organisationId: f.A.id })) as never;
    f.admin = (await make.user({ role: 'admin' })) as never;
    await api.app.get(RollupsService).reconcile('test');
    pm = new WebClient(api);
    await pm.signIn(f.pm);
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  /** Each organisation row as its name and figures, in page order. */
  const rowsOf = (html: string) =>
    [...html.matchAll(/<tr class="govuk-table__row" data-qa="organisation-row"[^>]*>([\s\S]*?)<\/tr>/g)].map(
      ([, row]) =>
        [...row.matchAll(/<t[hd] [^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) => cell.replace(/<[^>]+>/g, '').trim()),
    );
  const totalsOf = (html: string) => rowsOf(html.replace('data-qa="totals-row"', 'data-qa="organisation-row"')).at(-1);

  it('shows one row per organisation in the portfolio with its figures, and the totals', async () => {
    const res = await pm.get('/dashboard');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1 class="govuk-heading-l">Dashboard</h1>');
    expect(rowsOf(res.text)).toEqual([
      ['Alpha &lt;Probation&gt; Trust', '40%', '1', '2', '1', '0', '2', '29', '1'],
      ['Beta Probation Trust', '0%', '1', '1', '0', '2', '0', '0', '0'],
    ]);
    expect(totalsOf(res.text)).toEqual(['All organisations', '25%', '2', '3', '1', '2', '2', '29', '1']);
    expect(res.text).toContain('2 organisations, 8 actions, 25% complete');
    expect(res.text).toMatch(/Figures as at \d{1,2} \w+ \d{4} at \d{2}:\d{2}\. Overdue and RAG are for 2 March 2026\./);
    expect(res.text).toContain('aria-sort="ascending" data-qa="sort-name"');
    // The service navigation links the page, marked as the current one.
    expect(res.text).toMatch(/<a class="govuk-service-navigation__link" href="\/dashboard" aria-current="true">/);
  });

  it('leaves out organisations outside the portfolio', async () => {
    const res = await pm.get('/dashboard');
    expect(res.text).not.toContain('Gamma Probation Trust');
    expect(res.text).not.toContain(f.C.id);
    const other = new WebClient(api);
    await other.signIn(f.otherPm);
    const theirs = await other.get('/dashboard');
    expect(rowsOf(theirs.text)).toEqual([['Gamma Probation Trust', '0%', '4', '4', '0', '0', '0', '0', '0']]);
    expect(theirs.text).not.toContain('Alpha');
  });

  it('sorts by a column on the server, saying so with aria-sort', async () => {
    const byGreen = await pm.get('/dashboard?sort=green&order=desc');
    expect(rowsOf(byGreen.text).map((r) => r[0])).toEqual(['Beta Probation Trust', 'Alpha &lt;Probation&gt; Trust']);
    expect(byGreen.text).toContain('aria-sort="descending" data-qa="sort-green"');
    expect(byGreen.text).toContain('aria-sort="none" data-qa="sort-name"');
    // The sorted column's link turns the order round.
    expect(byGreen.text).toContain('href="/dashboard?sort=green&amp;order=asc"');

    const bySlippage = await pm.get('/dashboard?sort=slippageDays&order=asc');
    expect(rowsOf(bySlippage.text).map((r) => r[0])).toEqual(['Beta Probation Trust', 'Alpha &lt;Probation&gt; Trust']);
    const byAwaiting = await pm.get('/dashboard?sort=awaitingVerification&order=desc');
    expect(rowsOf(byAwaiting.text).map((r) => r[0])).toEqual(['Alpha &lt;Probation&gt; Trust', 'Beta Probation Trust']);
    const byName = await pm.get('/dashboard?sort=name&order=desc');
    expect(rowsOf(byName.text).map((r) => r[0])).toEqual(['Beta Probation Trust', 'Alpha &lt;Probation&gt; Trust']);
    // Ties keep name order; nonsense sorts fall back to the name.
    const byOverdue = await pm.get('/dashboard?sort=overdue&order=desc');
    expect(rowsOf(byOverdue.text).map((r) => r[0])).toEqual(['Alpha &lt;Probation&gt; Trust', 'Beta Probation Trust']);
    const nonsense = await pm.get('/dashboard?sort=constructor&order=sideways');
    expect(nonsense.status).toBe(200);
    expect(nonsense.text).toContain('aria-sort="ascending" data-qa="sort-name"');
  });

  it('shows an admin every organisation', async () => {
    const admin = new WebClient(api);
    await admin.signIn(f.admin);
    const res = await admin.get('/dashboard');
    expect(res.status).toBe(200);
    const names = rowsOf(res.text).map((r) => r[0]);
    expect(names).toEqual(
      expect.arrayContaining(['Alpha &lt;Probation&gt; Trust', 'Beta Probation Trust', 'Gamma Probation Trust']),
    );
    expect(res.text).toContain('href="/dashboard"');
  });

  it.each([
    ['senior manager', 'sm'],
    ['viewer', 'viewer'],
  ])('refuses a %s with the 404 page and does not offer them the link', async (_role, who) => {
    const client = new WebClient(api);
    await client.signIn(f[who]);
    const res = await client.get('/dashboard');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Alpha');
    expect((await client.get('/')).text).not.toContain('href="/dashboard"');
  });

  it('sends someone signed out to sign in, and back afterwards', async () => {
    const client = new WebClient(api);
    const res = await client.get('/dashboard?sort=overdue&order=desc');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent('/dashboard?sort=overdue&order=desc')}`);
    const signedIn = await client.signIn(f.pm, '/dashboard?sort=overdue&order=desc');
    expect(signedIn.headers.location).toBe('/dashboard?sort=overdue&order=desc');
  });
});
