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
 *   C (London, another portfolio): 4 not started, due 1 Jan (overdue).
 * The trend has two days: 26 January, when a3 was still in progress and a4 only completed (1 of 8 done, 12%;
 * nothing overdue in the portfolio, C's 4 overdue), and today (2 of 8, 25%; 2 overdue).
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
    f.C = (await make.organisation({ name: 'Gamma Probation Trust', region: 'london' })) as never;
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
    const a3 = await act(RA.id, '2026-02-01', 'in_progress', 50);
    const a4 = await act(RA.id, '2026-01-15', 'completed', 100);
    const slipped = await act(RA.id, '2026-04-30', 'blocked', 10);
    await api.pool.query(`UPDATE actions SET original_due_date = '2026-04-01' WHERE id = $1`, [slipped.id]);
    await act(RB.id, '2026-02-25', 'in_progress', 60);
    await act(RB.id, '2026-06-01');
    await act(RB.id, '2026-06-01');
    for (let i = 0; i < 4; i++) await act(RC.id, '2026-01-01');
    f.pm = (await make.user({ role: 'performance_manager', portfolio: [f.A.id, f.B.id] })) as never;
    f.otherPm = (await make.user({ role: 'performance_manager', portfolio: [f.C.id] })) as never;
    f.sm = (await make.user({ role: 'senior_manager', organisationId: f.A.id })) as never;
    f.otherSm = (await make.user({ role: 'senior_manager', organisationId: f.C.id })) as never;
    f.viewer = (await make.user({ role: 'viewer', organisationId: f.A.id })) as never;
    f.admin = (await make.user({ role: 'admin' })) as never;
    const rollups = api.app.get(RollupsService);
    api.clock!.set(new Date('2026-01-26T12:00:00Z'));
    await rollups.reconcile('test');
    await rollups.captureDay('2026-01-26');
    await api.pool.query(`UPDATE actions SET status = 'completed', progress = 100 WHERE id = $1`, [a3.id]);
    await api.pool.query(`UPDATE actions SET status = 'verified' WHERE id = $1`, [a4.id]);
    api.clock!.set(new Date('2026-03-02T12:00:00Z'));
    await rollups.reconcile('test');
    await rollups.captureDay('2026-03-02');
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

  it('links each organisation to its drill-down page and offers the dashboard’s sections', async () => {
    const res = await pm.get('/dashboard');
    expect(res.text).toContain(
      `<a class="govuk-link" href="/dashboard/organisations/${f.A.id}">Alpha &lt;Probation&gt; Trust</a>`,
    );
    expect(res.text).toContain(`href="/dashboard/organisations/${f.B.id}"`);
    const nav = /<nav class="moj-sub-navigation"[\s\S]*?<\/nav>/.exec(res.text)![0];
    expect(nav).toContain('aria-label="Dashboard sections"');
    expect([...nav.matchAll(/href="([^"]+)"/g)].map(([, href]) => href)).toEqual([
      '/dashboard',
      '/dashboard/verification',
      '/dashboard/overdue',
      '/dashboard/snapshots',
    ]);
    expect(nav).toMatch(/aria-current="page" href="\/dashboard">\s*Portfolio/);
  });

  /** The trend section: the chart, its text alternative, and the rows of its data table. */
  const trendOf = (html: string) => {
    const svg = /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    const table = /<table class="govuk-table" data-qa="trend-data">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    const rows = [...table.matchAll(/<tr class="govuk-table__row" data-qa="trend-row">([\s\S]*?)<\/tr>/g)].map(
      ([, row]) => [...row.matchAll(/<t[hd] [^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) => cell.trim()),
    );
    const description = /<desc id="[^"]+" data-qa="trend-description">([^<]*)<\/desc>/.exec(svg)?.[1];
    return { svg, rows, description };
  };

  it('draws the portfolio’s trend as an SVG with a text alternative, and gives the same figures as a table', async () => {
    const res = await pm.get('/dashboard');
    const { svg, rows, description } = trendOf(res.text);
    expect(svg).toContain('aria-labelledby="portfolio-trend-title portfolio-trend-desc"');
    expect(svg).toMatch(
      /<title id="portfolio-trend-title">Portfolio trend: percent complete and overdue actions, 8 December 2025 to 2 March 2026<\/title>/,
    );
    expect(description).toBe(
      'Percent complete rose from 12% on 26 January 2026 to 25% on 2 March 2026; overdue rose from 0 to 2.',
    );
    // Two lines told apart by more than colour: solid blue with circles, dashed red with squares.
    expect(svg).toMatch(/<path d="M[\d. ]+ L[\d. ]+" fill="none" stroke="#1d70b8" stroke-width="3"/);
    expect(svg).toMatch(
      /<path d="M[\d. ]+ L[\d. ]+" fill="none" stroke="#d4351c" stroke-width="3" stroke-dasharray="8 5"/,
    );
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).not.toContain('<script');
    expect(res.text).toContain('Overdue actions (dashed line, scale on the right)');
    expect(res.text).toMatch(/<span class="govuk-details__summary-text">\s*Show the data\s*<\/span>/);
    expect(rows).toEqual([
      ['26 January 2026', '12%', '0'],
      ['2 March 2026', '25%', '2'],
    ]);
  });

  it('sums every organisation in scope for the trend, across regions, for an admin', async () => {
    const admin = new WebClient(api);
    await admin.signIn(f.admin);
    const { rows, description } = trendOf((await admin.get('/dashboard')).text);
    // 12 actions: 1 then 2 done; C's 4 overdue throughout.
    expect(rows).toEqual([
      ['26 January 2026', '8%', '4'],
      ['2 March 2026', '16%', '6'],
    ]);
    expect(description).toBe(
      'Percent complete rose from 8% on 26 January 2026 to 16% on 2 March 2026; overdue rose from 4 to 6.',
    );
  });

  it('chooses the trend’s period with a GET form that keeps the sort', async () => {
    const res = await pm.get('/dashboard?sort=overdue&order=desc&period=4w');
    const form = /<form method="get" action="\/dashboard" novalidate data-qa="trend-period">[\s\S]*?<\/form>/.exec(
      res.text,
    )![0];
    expect(form).toContain('<input type="hidden" name="sort" value="overdue">');
    expect(form).toContain('<input type="hidden" name="order" value="desc">');
    expect(form).toMatch(/<option value="4w" selected>Last 4 weeks<\/option>/);
    expect(res.text).toContain('From 2 February 2026 to 2 March 2026');
    const { rows, description } = trendOf(res.text);
    expect(rows).toEqual([['2 March 2026', '25%', '2']]);
    expect(description).toBe('On 2 March 2026, 25% complete and 2 overdue.');
    // An unknown period is the default 12 weeks.
    expect((await pm.get('/dashboard?period=forever')).text).toMatch(/<option value="12w" selected>/);
  });

  it('says so when no figures were recorded in the period', async () => {
    const lonely = new WebClient(api);
    const empty = await api.factories.organisation({ name: 'Delta Probation Trust' });
    await lonely.signIn(await api.factories.user({ role: 'performance_manager', portfolio: [empty.id] }));
    const { svg, rows, description } = trendOf((await lonely.get('/dashboard')).text);
    expect(description).toBe('No figures were recorded in this period.');
    expect(svg).not.toContain('<path');
    expect(rows).toEqual([]);
  });

  it.each([
    ['senior manager of a portfolio organisation', 'sm'],
    ['senior manager of another organisation', 'otherSm'],
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
    for (const page of ['/dashboard/verification', '/dashboard/overdue', '/dashboard/snapshots']) {
      expect((await client.get(page)).headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(page)}`);
    }
    const signedIn = await client.signIn(f.pm, '/dashboard?sort=overdue&order=desc');
    expect(signedIn.headers.location).toBe('/dashboard?sort=overdue&order=desc');
  });
});
