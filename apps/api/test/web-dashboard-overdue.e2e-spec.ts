import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

/**
 * Today is 2 March 2026. Alpha and Beta are in the performance manager's portfolio, Gamma in another's.
 *   Alpha (R1): due 20 Feb, not started (10 days overdue, owned by Head of Public Protection); due 1 Feb, blocked
 *     (29 days); due 10 Mar (not overdue); due 1 Jan, completed (not overdue)
 *   Beta (R2): due 25 Feb, in progress (5 days)
 *   Gamma (R3): due 1 Jan, not started (60 days)
 */
describe('web: overdue actions across the portfolio', () => {
  let api: ApiHarness;
  const f = {} as Record<string, { id: string; email: string }>;
  const a = {} as Record<string, { id: string }>;
  let recommendationB: { id: string };
  let pm: WebClient;

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const make = api.factories;
    const inspectorate = await make.inspectorate();
    const recommendationOf = async (organisationId: string, reference: string) => {
      const inspection = await make.inspection({ organisationId, inspectorateId: inspectorate.id });
      return make.recommendation({ inspectionId: inspection.id, ownerOrganisationId: organisationId, reference });
    };
    f.A = (await make.organisation({ name: 'Alpha Probation Trust' })) as never;
    f.B = (await make.organisation({ name: 'Beta Probation Trust' })) as never;
    f.C = (await make.organisation({ name: 'Gamma Probation Trust' })) as never;
    const RA = await recommendationOf(f.A.id, 'R1');
    recommendationB = await recommendationOf(f.B.id, 'R2');
    const RC = await recommendationOf(f.C.id, 'R3');
    f.owner = (await make.user({
      role: 'senior_manager',
      organisationId: f.A.id,
      name: 'Head of Public Protection',
    })) as never;
    const act = (recommendationId: string, dueDate: string, title: string, status = 'not_started') =>
      make.action({ recommendationId, dueDate, title, status: status as never, ownerId: null });
    a.tenDays = await make.action({
      recommendationId: RA.id,
      dueDate: '2026-02-20',
      title: 'Check <child> protection',
      ownerId: f.owner.id,
    });
    a.blocked = await act(RA.id, '2026-02-01', 'Blocked audit', 'blocked');
    a.notYet = await act(RA.id, '2026-03-10', 'Not yet due');
    a.done = await act(RA.id, '2026-01-01', 'Done long ago', 'completed');
    a.beta = await act(recommendationB.id, '2026-02-25', 'Beta visit plans', 'in_progress');
    a.gamma = await act(RC.id, '2026-01-01', 'Gamma action');
    f.pm = (await make.user({ role: 'performance_manager', portfolio: [f.A.id, f.B.id] })) as never;
    f.otherPm = (await make.user({ role: 'performance_manager', portfolio: [f.C.id] })) as never;
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

  const rowsOf = (html: string) =>
    [
      ...html.matchAll(/<tr class="govuk-table__row" data-qa="overdue-row" data-action-id="([^"]+)">([\s\S]*?)<\/tr>/g),
    ].map(([, id, row]) => ({
      id,
      cells: [...row.matchAll(/<td [^>]*>([\s\S]*?)<\/td>/g)].map(([, cell]) => cell.replace(/<[^>]+>/g, '').trim()),
    }));

  it('lists the portfolio’s overdue actions, oldest due date first, with what a manager needs to chase them', async () => {
    const res = await pm.get('/dashboard/overdue');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>Overdue actions - Dashboard - Recommendation Tracker</title>');
    expect(res.text).toMatch(/aria-current="page" href="\/dashboard\/overdue">\s*Overdue/);
    expect(res.text).toContain('3 overdue actions in your portfolio.');
    expect(rowsOf(res.text)).toEqual([
      {
        id: a.blocked.id,
        cells: ['Alpha Probation Trust', 'R1', 'Blocked audit', 'Not assigned', '1 February 2026', '29', 'Red'],
      },
      {
        id: a.tenDays.id,
        cells: [
          'Alpha Probation Trust',
          'R1',
          'Check &lt;child&gt; protection',
          'Head of Public Protection',
          '20 February 2026',
          '10',
          'Red',
        ],
      },
      {
        id: a.beta.id,
        cells: ['Beta Probation Trust', 'R2', 'Beta visit plans', 'Not assigned', '25 February 2026', '5', 'Red'],
      },
    ]);
    expect(res.text).toContain(
      `<a class="govuk-link" href="/actions/${a.tenDays.id}">Check &lt;child&gt; protection</a>`,
    );
    expect(res.text).toContain(`<a class="govuk-link" href="/recommendations/${recommendationB.id}">R2</a>`);
    expect(res.text).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">Overdue actions, oldest due date first</caption>',
    );
    for (const hidden of [a.notYet, a.done, a.gamma]) expect(res.text).not.toContain(hidden.id);
  });

  it('filters by one of the portfolio’s organisations with a GET form', async () => {
    const page = await pm.get('/dashboard/overdue');
    const select = /<select class="govuk-select" id="organisation" name="organisation">[\s\S]*?<\/select>/.exec(
      page.text,
    )![0];
    expect([...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map(([, v, t]) => [v, t])).toEqual([
      ['', 'All organisations'],
      [f.A.id, 'Alpha Probation Trust'],
      [f.B.id, 'Beta Probation Trust'],
    ]);
    const beta = await pm.get(`/dashboard/overdue?organisation=${f.B.id}`);
    expect(rowsOf(beta.text).map((r) => r.id)).toEqual([a.beta.id]);
    expect(beta.text).toContain('1 overdue action at Beta Probation Trust.');
    expect(beta.text).toContain(`<option value="${f.B.id}" selected>Beta Probation Trust</option>`);
    // An organisation outside the portfolio, or nonsense, is not a choice: every organisation is shown.
    for (const other of [f.C.id, 'nonsense']) {
      const res = await pm.get(`/dashboard/overdue?organisation=${other}`);
      expect(res.status).toBe(200);
      expect(rowsOf(res.text)).toHaveLength(3);
      expect(res.text).not.toContain('Gamma');
    }
  });

  it('shows an admin every organisation’s overdue actions, and another performance manager only theirs', async () => {
    const admin = new WebClient(api);
    await admin.signIn(f.admin);
    expect(rowsOf((await admin.get('/dashboard/overdue')).text).map((r) => r.id)).toEqual([
      a.gamma.id,
      a.blocked.id,
      a.tenDays.id,
      a.beta.id,
    ]);
    const other = new WebClient(api);
    await other.signIn(f.otherPm);
    const theirs = await other.get('/dashboard/overdue');
    expect(rowsOf(theirs.text).map((r) => r.id)).toEqual([a.gamma.id]);
    expect(rowsOf(theirs.text)[0].cells[5]).toBe('60');
  });

  it.each([
    ['senior manager of the organisation', 'owner'],
    ['senior manager of another', 'otherSm'],
    ['viewer', 'viewer'],
  ])('answers 404 to a %s', async (_who, key) => {
    const client = new WebClient(api);
    await client.signIn(f[key]);
    const res = await client.get('/dashboard/overdue');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Blocked audit');
  });

  it('pages a long list with GOV.UK pagination that keeps the filter', async () => {
    for (let i = 1; i <= 21; i++) {
      await api.factories.action({
        recommendationId: recommendationB.id,
        dueDate: `2026-01-${String(i + 1).padStart(2, '0')}`,
        title: `Beta backlog ${String(i).padStart(2, '0')}`,
      });
    }
    const first = await pm.get(`/dashboard/overdue?organisation=${f.B.id}`);
    expect(first.text).toContain('22 overdue actions at Beta Probation Trust.');
    const rows = rowsOf(first.text);
    expect(rows).toHaveLength(20);
    expect(rows[0].cells[2]).toBe('Beta backlog 01');
    const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"/
      .exec(first.text)![1]
      .replace(/&amp;/g, '&');
    expect(next).toMatch(new RegExp(`^/dashboard/overdue\\?organisation=${f.B.id}&cursor=`));
    const second = await pm.get(next);
    expect(rowsOf(second.text).map((r) => r.cells[2])).toEqual(['Beta backlog 21', 'Beta visit plans']);
    expect(second.text).toMatch(/rel="prev"/);
    expect(second.text).not.toMatch(/rel="next"/);
  });
});
