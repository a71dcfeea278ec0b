import { RollupsService } from '@rt/domain';
import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

/**
 * Today is 2 March 2026. Alpha (the performance manager's portfolio) has 21 inspections, each with one
 * recommendation and one action; the first inspection's action is overdue, the second's completed. Gamma belongs
 * to another performance manager. The trend has 16 February (nothing done, 0 overdue) and today (1 of 21 done,
 * 4%; 1 overdue).
 */
describe('web: an organisation’s drill-down page', () => {
  let api: ApiHarness;
  const f = {} as Record<string, { id: string; email: string }>;
  const inspections: { id: string; title: string }[] = [];
  let pm: WebClient;

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const make = api.factories;
    const inspectorate = await make.inspectorate();
    f.A = (await make.organisation({ name: 'Alpha <Probation> Trust' })) as never;
    f.C = (await make.organisation({ name: 'Gamma Probation Trust' })) as never;
    const actions: { id: string }[] = [];
    for (let i = 1; i <= 21; i++) {
      const title = `Inspection ${String(i).padStart(2, '0')} of Alpha`;
      const inspection = await make.inspection({ organisationId: f.A.id, inspectorateId: inspectorate.id, title });
      inspections.push({ id: inspection.id, title });
      const rec = await make.recommendation({ inspectionId: inspection.id, ownerOrganisationId: f.A.id });
      actions.push(await make.action({ recommendationId: rec.id, dueDate: i === 1 ? '2026-02-20' : '2026-06-30' }));
    }
    const gamma = await make.inspection({ organisationId: f.C.id, inspectorateId: inspectorate.id });
    const rc = await make.recommendation({ inspectionId: gamma.id, ownerOrganisationId: f.C.id });
    await make.action({ recommendationId: rc.id, dueDate: '2026-01-01' });
    f.pm = (await make.user({ role: 'performance_manager', portfolio: [f.A.id] })) as never;
    f.otherPm = (await make.user({ role: 'performance_manager', portfolio: [f.C.id] })) as never;
    f.sm = (await make.user({ role: 'senior_manager', organisationId: f.A.id })) as never;
    f.otherSm = (await make.user({ role: 'senior_manager', organisationId: f.C.id })) as never;
    f.viewer = (await make.user({ role: 'viewer', organisationId: f.A.id })) as never;
    f.admin = (await make.user({ role: 'admin' })) as never;

    const rollups = api.app.get(RollupsService);
    api.clock!.set(new Date('2026-02-16T12:00:00Z'));
    await rollups.reconcile('test');
    await rollups.captureDay('2026-02-16');
    await api.pool.query(`UPDATE actions SET status = 'completed', progress = 100 WHERE id = $1`, [actions[1].id]);
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

  const cellsOf = (row: string) =>
    [...row.matchAll(/<t[hd] [^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) =>
      cell
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  const rowsOf = (html: string, qa: string) =>
    [...html.matchAll(new RegExp(`<tr class="govuk-table__row" data-qa="${qa}">([\\s\\S]*?)</tr>`, 'g'))].map(
      ([, row]) => cellsOf(row),
    );
  const nextLink = (html: string) =>
    /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"/.exec(html)?.[1].replace(/&amp;/g, '&');

  it('shows the organisation’s figures with the portfolio’s columns', async () => {
    const res = await pm.get(`/dashboard/organisations/${f.A.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>Alpha &lt;Probation&gt; Trust - Dashboard - Recommendation Tracker</title>');
    expect(res.text).toContain(
      '<h1 class="govuk-heading-l" data-qa="organisation-name">Alpha &lt;Probation&gt; Trust</h1>',
    );
    expect(res.text).toMatch(/<a class="govuk-breadcrumbs__link" href="\/dashboard">Dashboard<\/a>/);
    // Complete, overdue, red, amber, green, done, slippage, awaiting verification.
    expect(rowsOf(res.text, 'organisation-row')).toEqual([
      ['Alpha &lt;Probation&gt; Trust', '4%', '1', '1', '0', '19', '1', '0', '1'],
    ]);
    expect(res.text).toContain('Overdue and RAG are for 2 March 2026.');
  });

  it('lists the organisation’s inspections with their progress, 20 a page, each linking to the inspection', async () => {
    const first = await pm.get(`/dashboard/organisations/${f.A.id}`);
    const rows = rowsOf(first.text, 'inspection-row');
    expect(rows).toHaveLength(20);
    const firstPageIds = [...first.text.matchAll(/href="\/inspections\/([0-9a-f-]{36})"/g)].map(([, id]) => id);
    expect(firstPageIds).toHaveLength(20);

    const next = nextLink(first.text)!;
    expect(next).toMatch(new RegExp(`^/dashboard/organisations/${f.A.id}\\?cursor=`));
    const second = await pm.get(next);
    expect(rowsOf(second.text, 'inspection-row')).toHaveLength(1);
    // Pages go in id order (random uuids): look the two inspections up across both pages.
    const all = [...rows, ...rowsOf(second.text, 'inspection-row')];
    const byTitle = new Map(all.map((r) => [r[0].replace(/ 1 action$/, ''), r.slice(1)]));
    expect(byTitle.get('Inspection 01 of Alpha')).toEqual(['0%', '1', '1', '0', '0', '0', '0', '0']);
    expect(byTitle.get('Inspection 02 of Alpha')).toEqual(['100%', '0', '0', '0', '0', '1', '0', '1']);
    const lastId = /href="\/inspections\/([0-9a-f-]{36})"/.exec(second.text)![1];
    expect([...firstPageIds, lastId].sort()).toEqual(inspections.map((i) => i.id).sort());
    expect(second.text).toMatch(/rel="prev"/);
    expect(nextLink(second.text)).toBeUndefined();
    // A made-up cursor is the first page.
    expect(
      rowsOf((await pm.get(`/dashboard/organisations/${f.A.id}?cursor=bogus`)).text, 'inspection-row'),
    ).toHaveLength(20);
  });

  it('draws the organisation’s trend with its text alternative and data', async () => {
    const res = await pm.get(`/dashboard/organisations/${f.A.id}?period=4w`);
    expect(res.text).toContain('aria-labelledby="organisation-trend-title organisation-trend-desc"');
    expect(res.text).toContain(
      '<desc id="organisation-trend-desc" data-qa="trend-description">Percent complete rose from 0% on 16 February 2026 to 4% on 2 March 2026; overdue rose from 0 to 1.</desc>',
    );
    expect(rowsOf(res.text, 'trend-row')).toEqual([
      ['16 February 2026', '0%', '0'],
      ['2 March 2026', '4%', '1'],
    ]);
    expect(res.text).toContain(
      `<form method="get" action="/dashboard/organisations/${f.A.id}" novalidate data-qa="trend-period">`,
    );
    expect(res.text).toMatch(/<option value="4w" selected>/);
    // The period carries over to the inspections' next page.
    expect(nextLink(res.text)).toContain('period=4w');
  });

  it('shows an admin any organisation', async () => {
    const admin = new WebClient(api);
    await admin.signIn(f.admin);
    const res = await admin.get(`/dashboard/organisations/${f.C.id}`);
    expect(res.status).toBe(200);
    expect(rowsOf(res.text, 'organisation-row')).toEqual([
      ['Gamma Probation Trust', '0%', '1', '1', '0', '0', '0', '0', '0'],
    ]);
  });

  it('answers 404 for an organisation outside the portfolio, an unknown one and a malformed id', async () => {
    for (const path of [
      `/dashboard/organisations/${f.C.id}`,
      '/dashboard/organisations/00000000-0000-4000-8000-000000000000',
      '/dashboard/organisations/not-an-id',
    ]) {
      const res = await pm.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.text).toContain('Page not found');
      expect(res.text).not.toContain('Gamma');
    }
    const other = new WebClient(api);
    await other.signIn(f.otherPm);
    expect((await other.get(`/dashboard/organisations/${f.A.id}`)).status).toBe(404);
    expect((await other.get(`/dashboard/organisations/${f.C.id}`)).status).toBe(200);
  });

  it.each([
    ['senior manager of the organisation', 'sm'],
    ['senior manager of another', 'otherSm'],
    ['viewer', 'viewer'],
  ])('answers 404 to a %s', async (_who, key) => {
    const client = new WebClient(api);
    await client.signIn(f[key]);
    const res = await client.get(`/dashboard/organisations/${f.A.id}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Inspection 01 of Alpha');
  });
});
