import { SnapshotsService } from '@rt/domain';
import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

/**
 * Today is 2 March 2026. Alpha and Beta are in Pat's portfolio; Gamma in another's.
 * "End of February": Alpha a1 not started due 20 Feb (overdue), a2 20% due 10 Mar (amber), a3 50% due 1 Feb
 *   (overdue) → 0%, 2 overdue, red 2, amber 1; Beta b1 due 25 Feb (overdue) → 0%, 1 overdue, red 1; Gamma 1 overdue.
 * Then a3 is completed, a4 added (due June, green) and b1 re-dated to 30 April.
 * "Board return March 2026": Alpha 25%, 1 overdue, red 1, amber 1, green 1, complete 1; Beta 0%, 0 overdue, green 1.
 * Then a1 is completed. "Later": Alpha 50%, 0 overdue.
 */
describe('web: snapshots and what changed between them', () => {
  let api: ApiHarness;
  const f = {} as Record<string, { id: string; email: string }>;
  const a = {} as Record<string, { id: string }>;
  const s = {} as Record<string, string>;
  let pm: WebClient;
  let recommendationA: { id: string };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const make = api.factories;
    const inspectorate = await make.inspectorate();
    const recommendationOf = async (organisationId: string) => {
      const inspection = await make.inspection({ organisationId, inspectorateId: inspectorate.id });
      return make.recommendation({ inspectionId: inspection.id, ownerOrganisationId: organisationId });
    };
    f.A = (await make.organisation({ name: 'Alpha Probation Trust' })) as never;
    f.B = (await make.organisation({ name: 'Beta Probation Trust' })) as never;
    f.C = (await make.organisation({ name: 'Gamma Probation Trust' })) as never;
    recommendationA = await recommendationOf(f.A.id);
    const RB = await recommendationOf(f.B.id);
    const RC = await recommendationOf(f.C.id);
    a.a1 = await make.action({ recommendationId: recommendationA.id, dueDate: '2026-02-20' });
    a.a2 = await make.action({
      recommendationId: recommendationA.id,
      dueDate: '2026-03-10',
      status: 'in_progress',
      progress: 20,
    });
    a.a3 = await make.action({
      recommendationId: recommendationA.id,
      dueDate: '2026-02-01',
      status: 'in_progress',
      progress: 50,
    });
    a.b1 = await make.action({ recommendationId: RB.id, dueDate: '2026-02-25', status: 'in_progress', progress: 60 });
    a.c1 = await make.action({ recommendationId: RC.id, dueDate: '2026-01-01' });
    f.pm = (await make.user({
      role: 'performance_manager',
      portfolio: [f.A.id, f.B.id],
      name: 'Pat Performance',
    })) as never;
    f.otherPm = (await make.user({ role: 'performance_manager', portfolio: [f.C.id] })) as never;
    f.sm = (await make.user({ role: 'senior_manager', organisationId: f.A.id })) as never;
    f.otherSm = (await make.user({ role: 'senior_manager', organisationId: f.C.id })) as never;
    f.viewer = (await make.user({ role: 'viewer', organisationId: f.A.id })) as never;
    f.admin = (await make.user({ role: 'admin' })) as never;
    pm = new WebClient(api);
    await pm.signIn(f.pm);
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const take = (client: WebClient, name: string) => client.submit('/dashboard/snapshots', { name });
  const snapshotCount = async () => Number((await api.pool.query('SELECT count(*) FROM snapshots')).rows[0].count);
  const cells = (row: string) =>
    [...row.matchAll(/<t[hd] [^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) => cell.replace(/<[^>]+>/g, '').trim());
  /** A comparison table's organisation rows and totals, as text. */
  const tableOf = (html: string, qa: string) => {
    const table = new RegExp(`<table [^>]*data-qa="${qa}">[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
    const rows = [...table.matchAll(/<tr class="govuk-table__row" data-qa="comparison-row">([\s\S]*?)<\/tr>/g)];
    const totals = /<tr class="govuk-table__row" data-qa="comparison-totals">([\s\S]*?)<\/tr>/.exec(table)?.[1] ?? '';
    return [...rows.map(([, row]) => cells(row)), cells(totals)];
  };
  const diffCounts = (html: string) => {
    const list = /<dl class="govuk-summary-list"\s+data-qa="diff-counts">[\s\S]*?<\/dl>/.exec(html)?.[0] ?? '';
    return Object.fromEntries(
      [...list.matchAll(/<dt [^>]*>\s*([^<]*?)\s*<\/dt>\s*<dd [^>]*>\s*([^<]*?)\s*<\/dd>/g)].map(([, k, v]) => [k, v]),
    );
  };

  it('takes a snapshot from the dashboard, recording who took it', async () => {
    const res = await take(pm, '  End of February ');
    expect(res.status).toBe(303);
    const [snapshot] = (await api.pool.query(`SELECT id, name, taken_by_id FROM snapshots`)).rows;
    expect(snapshot).toMatchObject({ name: 'End of February', taken_by_id: f.pm.id });
    s.first = snapshot.id;
    expect(res.headers.location).toBe(`/dashboard/snapshots/${s.first}`);

    const page = await pm.get(res.headers.location);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>End of February - Snapshots - Recommendation Tracker</title>');
    expect(page.text).toMatch(/govuk-notification-banner--success[\s\S]*Snapshot taken/);
    expect(page.text).toContain('Pat Performance');
    expect(page.text).toContain('This is the first snapshot: there is no earlier one to compare it with.');
    // Only the later figures, and only the portfolio's organisations.
    expect(tableOf(page.text, 'comparison-progress')).toEqual([
      ['Alpha Probation Trust', '–', '0', '–', '–', '2', '–'],
      ['Beta Probation Trust', '–', '0', '–', '–', '1', '–'],
      ['All organisations', '–', '0', '–', '–', '3', '–'],
    ]);
    expect(page.text).not.toContain('Gamma');
  });

  it('refuses a snapshot without a name, or with too long a name, and takes none', async () => {
    const before = await snapshotCount();
    const blank = await take(pm, '   ');
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('<title>Error: Snapshots - Dashboard - Recommendation Tracker</title>');
    expect(blank.text).toContain('govuk-error-summary');
    expect(blank.text).toContain('href="#name"');
    expect(blank.text).toContain('Enter a name for the snapshot');
    const long = await take(pm, `Board <return> ${'x'.repeat(200)}`);
    expect(long.status).toBe(400);
    expect(long.text).toContain('Name must be 200 characters or fewer');
    expect(long.text).toContain('value="Board &lt;return&gt; x');
    expect(await snapshotCount()).toBe(before);
  });

  it('compares a snapshot with the one before it, organisation by organisation', async () => {
    await api.pool.query(`UPDATE actions SET status = 'completed', progress = 100 WHERE id = $1`, [a.a3.id]);
    await api.factories.action({ recommendationId: recommendationA.id, dueDate: '2026-06-01' });
    await api.pool.query(`UPDATE actions SET due_date = '2026-04-30' WHERE id = $1`, [a.b1.id]);
    const res = await take(pm, 'Board return March 2026');
    s.second = /\/dashboard\/snapshots\/(.+)$/.exec(res.headers.location)![1];

    const page = await pm.get(`/dashboard/snapshots/${s.second}`);
    expect(page.text).toMatch(/Before is “End of February” \(taken [^)]+\); after is “Board return March 2026”/);
    // Organisation, then before, after and change of percent complete, then of overdue.
    expect(tableOf(page.text, 'comparison-progress')).toEqual([
      ['Alpha Probation Trust', '0', '25', '+25', '2', '1', '-1'],
      ['Beta Probation Trust', '0', '0', '0', '1', '0', '-1'],
      ['All organisations', '0', '20', '+20', '3', '1', '-2'],
    ]);
    // Red, then amber; green, then complete.
    expect(tableOf(page.text, 'comparison-red-amber')).toEqual([
      ['Alpha Probation Trust', '2', '1', '-1', '1', '1', '0'],
      ['Beta Probation Trust', '1', '0', '-1', '0', '0', '0'],
      ['All organisations', '3', '1', '-2', '1', '1', '0'],
    ]);
    expect(tableOf(page.text, 'comparison-green-complete')).toEqual([
      ['Alpha Probation Trust', '0', '1', '+1', '0', '1', '+1'],
      ['Beta Probation Trust', '0', '1', '+1', '0', '0', '0'],
      ['All organisations', '0', '2', '+2', '0', '1', '+1'],
    ]);
    expect(diffCounts(page.text)).toEqual({
      'New actions': '1',
      'Actions completed': '1',
      'Actions whose due date moved later': '1',
      'Actions newly overdue': '0',
    });
    expect(page.text).toContain(
      '<th scope="colgroup" colspan="3" class="govuk-table__header govuk-table__header--numeric">Overdue</th>',
    );
    expect(page.text).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">Red and amber actions by organisation</caption>',
    );
  });

  it('compares with a chosen snapshot, before and after in the order they were taken', async () => {
    await api.pool.query(`UPDATE actions SET status = 'completed', progress = 100 WHERE id = $1`, [a.a1.id]);
    const res = await take(pm, 'Later');
    s.third = /\/dashboard\/snapshots\/(.+)$/.exec(res.headers.location)![1];

    const later = await pm.get(`/dashboard/snapshots/${s.third}`);
    expect(tableOf(later.text, 'comparison-progress')[0]).toEqual([
      'Alpha Probation Trust',
      '25',
      '50',
      '+25',
      '1',
      '0',
      '-1',
    ]);
    const select = /<select class="govuk-select" id="against" name="against">[\s\S]*?<\/select>/.exec(later.text)![0];
    expect(
      [...select.matchAll(/<option value="([^"]+)"( selected)?>([^(<]*)/g)].map(([, v, sel, t]) => [
        v,
        !!sel,
        t.trim(),
      ]),
    ).toEqual([
      [s.second, true, 'Board return March 2026'],
      [s.first, false, 'End of February'],
    ]);

    const chosen = await pm.get(`/dashboard/snapshots/${s.third}?against=${s.first}`);
    expect(tableOf(chosen.text, 'comparison-progress')[0]).toEqual([
      'Alpha Probation Trust',
      '0',
      '50',
      '+50',
      '2',
      '0',
      '-2',
    ]);
    expect(diffCounts(chosen.text)).toMatchObject({ 'Actions completed': '2', 'New actions': '1' });

    // A later snapshot chosen against an earlier one: still before → after.
    const reversed = await pm.get(`/dashboard/snapshots/${s.first}?against=${s.third}`);
    expect(reversed.text).toMatch(/Before is “End of February” \(taken [^)]+\); after is “Later”/);
    expect(tableOf(reversed.text, 'comparison-progress')[0]).toEqual([
      'Alpha Probation Trust',
      '0',
      '50',
      '+50',
      '2',
      '0',
      '-2',
    ]);
  });

  it('shows each reader only their own organisations in a snapshot', async () => {
    const admin = new WebClient(api);
    await admin.signIn(f.admin);
    const all = await admin.get(`/dashboard/snapshots/${s.second}`);
    expect(tableOf(all.text, 'comparison-progress').map((r) => r[0])).toEqual([
      'Alpha Probation Trust',
      'Beta Probation Trust',
      'Gamma Probation Trust',
      'All organisations',
    ]);
    const other = new WebClient(api);
    await other.signIn(f.otherPm);
    const theirs = await other.get(`/dashboard/snapshots/${s.second}`);
    expect(tableOf(theirs.text, 'comparison-progress')).toEqual([
      ['Gamma Probation Trust', '0', '0', '0', '1', '1', '0'],
      ['All organisations', '0', '0', '0', '1', '1', '0'],
    ]);
  });

  it('answers 404 for an unknown snapshot, a malformed id and an unknown one to compare with', async () => {
    for (const path of [
      '/dashboard/snapshots/00000000-0000-4000-8000-000000000000',
      '/dashboard/snapshots/latest',
      `/dashboard/snapshots/${s.second}?against=00000000-0000-4000-8000-000000000000`,
      `/dashboard/snapshots/${s.second}?against=first`,
    ]) {
      const res = await pm.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.text).toContain('Page not found');
    }
  });

  it.each([
    ['senior manager of the organisation', 'sm'],
    ['senior manager of another', 'otherSm'],
    ['viewer', 'viewer'],
  ])('answers 404 to a %s and lets them take nothing', async (_who, key) => {
    const client = new WebClient(api);
    await client.signIn(f[key]);
    const before = await snapshotCount();
    expect((await client.get('/dashboard/snapshots')).status).toBe(404);
    expect((await client.get(`/dashboard/snapshots/${s.second}`)).status).toBe(404);
    const post = await client.submit('/dashboard/snapshots', { name: 'Mine' }, '/');
    expect(post.status).toBe(404);
    expect(await snapshotCount()).toBe(before);
  });

  it('lists snapshots newest first, 20 a page, with who took them', async () => {
    const snapshots = api.app.get(SnapshotsService);
    await snapshots.takeQuarterEnd();
    for (let i = 1; i <= 18; i++) await snapshots.take(null, `Weekly ${String(i).padStart(2, '0')}`);
    const first = await pm.get('/dashboard/snapshots');
    expect(first.status).toBe(200);
    expect(first.text).toMatch(/aria-current="page" href="\/dashboard\/snapshots">\s*Snapshots/);
    expect(first.text).toContain('data-qa="take-snapshot"');
    const rows = [...first.text.matchAll(/<tr class="govuk-table__row" data-qa="snapshot-row">([\s\S]*?)<\/tr>/g)].map(
      ([, row]) => cells(row),
    );
    expect(rows).toHaveLength(20);
    expect(rows[0][0]).toBe('Weekly 18');
    expect(rows[18]).toEqual([
      'Quarter ending 2 March 2026',
      expect.stringMatching(/2026 at/),
      '2 March 2026',
      'Taken on schedule',
    ]);
    expect(rows[19]).toEqual(['Later', expect.any(String), '2 March 2026', 'Pat Performance']);
    const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"/
      .exec(first.text)![1]
      .replace(/&amp;/g, '&');
    const second = await pm.get(next);
    const older = [
      ...second.text.matchAll(/<tr class="govuk-table__row" data-qa="snapshot-row">([\s\S]*?)<\/tr>/g),
    ].map(([, row]) => cells(row)[0]);
    expect(older).toEqual(['Board return March 2026', 'End of February']);
    expect(second.text).toContain(`href="/dashboard/snapshots/${s.first}"`);
    expect(second.text).toMatch(/rel="prev"/);
  });
});
