import { RollupsService } from '@rt/domain';
import { ApiHarness, startApi } from './api-harness';

/**
 * Roll-up figures against hand-computed expectations. Today is Monday 2 March 2026 (London).
 *
 * Organisation A (south_east), inspection IA:
 *   RA1 risk_of_harm: a1 not started, due 20 Feb (10 days overdue, red); a2 in progress 20%, due 10 Mar (amber);
 *     a3 completed; a4 cancelled
 *   RA2 protecting_children: a5 verified; a6 blocked 10%, due 30 Apr, first due 1 Apr (red, re-dated +29 days)
 *   RA3 protecting_children: not accepted, no actions
 * Organisation B (london), inspection IB:
 *   RB1 risk_of_harm: b1 in progress 60%, due 25 Feb (5 days overdue); b2 not started, due 1 Jun (green);
 *     b3 in progress 80%, due 5 Mar (green: progress ≥ 50)
 * Organisation C (south_east, outside the performance manager's portfolio): c1 not started, due 1 Jan.
 */
describe('roll-ups API', () => {
  let api: ApiHarness;
  let rollups: RollupsService;
  const f = {} as Record<string, { id: string; email?: string }>;
  let token: Record<'admin' | 'pm' | 'smA' | 'viewerB', string>;

  const get = async (path: string, who: keyof typeof token = 'pm', status = 200) => {
    const res = await api.http().get(path).set('Authorization', `Bearer ${token[who]}`);
    expect({ status: res.status, body: res.status === status ? undefined : res.body }).toEqual({
      status,
      body: undefined,
    });
    return res.body;
  };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    rollups = api.app.get(RollupsService);
    const make = api.factories;
    const inspectorate = await make.inspectorate();
    f.A = await make.organisation({ name: 'A Probation Trust', region: 'south_east' });
    f.B = await make.organisation({ name: 'B Probation Trust', region: 'london' });
    f.C = await make.organisation({ name: 'C Probation Trust', region: 'south_east' });
    f.IA = await make.inspection({ organisationId: f.A.id, inspectorateId: inspectorate.id, title: 'Inspection of A' });
    f.IB = await make.inspection({ organisationId: f.B.id, inspectorateId: inspectorate.id, title: 'Inspection of B' });
    f.IC = await make.inspection({ organisationId: f.C.id, inspectorateId: inspectorate.id, title: 'Inspection of C' });
    f.RA1 = await make.recommendation({ inspectionId: f.IA.id, ownerOrganisationId: f.A.id, reference: 'R1' });
    f.RA2 = await make.recommendation({
      inspectionId: f.IA.id,
      ownerOrganisationId: f.A.id,
      reference: 'R2',
      theme: 'protecting_children',
    });
    f.RA3 = await make.recommendation({
      inspectionId: f.IA.id,
      ownerOrganisationId: f.A.id,
      reference: 'R3',
      theme: 'protecting_children',
      response: 'not_accepted',
      responseRationale: 'Already covered by R2',
    });
    f.RB1 = await make.recommendation({ inspectionId: f.IB.id, ownerOrganisationId: f.B.id, reference: 'R1' });
    f.RC1 = await make.recommendation({ inspectionId: f.IC.id, ownerOrganisationId: f.C.id, reference: 'R1' });
    const act = (recommendationId: string, dueDate: string, status = 'not_started', progress = 0) =>
      make.action({ recommendationId, dueDate, status: status as never, progress });
    f.a1 = await act(f.RA1.id, '2026-02-20');
    f.a2 = await act(f.RA1.id, '2026-03-10', 'in_progress', 20);
    f.a3 = await act(f.RA1.id, '2026-02-01', 'completed', 100);
    f.a4 = await act(f.RA1.id, '2026-01-01', 'cancelled', 10);
    f.a5 = await act(f.RA2.id, '2026-01-15', 'verified', 100);
    f.a6 = await act(f.RA2.id, '2026-04-30', 'blocked', 10);
    await api.pool.query(`UPDATE actions SET original_due_date = '2026-04-01' WHERE id = $1`, [f.a6.id]);
    f.b1 = await act(f.RB1.id, '2026-02-25', 'in_progress', 60);
    f.b2 = await act(f.RB1.id, '2026-06-01');
    f.b3 = await act(f.RB1.id, '2026-03-05', 'in_progress', 80);
    f.c1 = await act(f.RC1.id, '2026-01-01');
    const admin = await make.user({ role: 'admin' });
    const pm = await make.user({ role: 'performance_manager', portfolio: [f.A.id, f.B.id] });
    const smA = await make.user({ role: 'senior_manager', organisationId: f.A.id });
    const viewerB = await make.user({ role: 'viewer', organisationId: f.B.id });
    token = {
      admin: await api.tokenFor(admin),
      pm: await api.tokenFor(pm),
      smA: await api.tokenFor(smA),
      viewerB: await api.tokenFor(viewerB),
    };
    await rollups.reconcile('test');
  });
  afterAll(() => api.close());

  const A = {
    total: 5,
    completed: 1,
    verified: 1,
    overdue: 1,
    percentComplete: 40,
    byStatus: { not_started: 1, in_progress: 1, blocked: 1, completed: 1, verified: 1, cancelled: 1 },
    byRag: { red: 2, amber: 1, green: 0, complete: 2 },
    percentVerified: 20,
    medianDaysOverdue: 10,
    slippageDays: 29,
    redatedCount: 1,
    recommendationsByStatus: { not_started: 0, in_progress: 2, implemented: 0, verified: 0, not_accepted: 1 },
  };
  const B = {
    total: 3,
    completed: 0,
    verified: 0,
    overdue: 1,
    percentComplete: 0,
    byStatus: { not_started: 1, in_progress: 2, blocked: 0, completed: 0, verified: 0, cancelled: 0 },
    byRag: { red: 1, amber: 0, green: 2, complete: 0 },
    percentVerified: 0,
    medianDaysOverdue: 5,
    slippageDays: 0,
    redatedCount: 0,
    recommendationsByStatus: { not_started: 0, in_progress: 1, implemented: 0, verified: 0, not_accepted: 0 },
  };

  it('groups by organisation within a performance manager’s portfolio, saying asOf and the date', async () => {
    const body = await get('/api/v1/rollups?groupBy=organisation');
    expect(body.date).toBe('2026-03-02');
    expect(Date.parse(body.asOf)).toBeLessThanOrEqual(Date.now());
    expect(body.nextCursor).toBeNull();
    expect(body.items).toEqual([
      { key: f.A.id, name: 'A Probation Trust', ...A },
      { key: f.B.id, name: 'B Probation Trust', ...B },
    ]);
  });

  it('adds up the portfolio, combining the median across organisations exactly', async () => {
    const body = await get('/api/v1/rollups/portfolio');
    expect(body).toMatchObject({
      organisations: 2,
      total: 8,
      completed: 1,
      verified: 1,
      overdue: 2,
      percentComplete: 25,
      percentVerified: 12,
      byRag: { red: 3, amber: 1, green: 2, complete: 2 },
      medianDaysOverdue: 7.5,
      slippageDays: 29,
      redatedCount: 1,
      recommendationsByStatus: { not_started: 0, in_progress: 3, implemented: 0, verified: 0, not_accepted: 1 },
    });
  });

  it('groups by theme across organisations', async () => {
    const body = await get('/api/v1/rollups?groupBy=theme');
    expect(body.items.map((i: { key: string }) => i.key)).toEqual(['risk_of_harm', 'protecting_children']);
    expect(body.items[0]).toMatchObject({
      name: 'Risk of harm to others',
      total: 6,
      overdue: 2,
      medianDaysOverdue: 7.5,
      byStatus: { not_started: 2, in_progress: 3, completed: 1, cancelled: 1 },
      byRag: { red: 2, amber: 1, green: 2, complete: 1 },
      recommendationsByStatus: { in_progress: 2, not_accepted: 0 },
    });
    expect(body.items[1]).toMatchObject({
      name: 'Protecting children and young people',
      total: 2,
      overdue: 0,
      medianDaysOverdue: null,
      percentComplete: 50,
      percentVerified: 50,
      byRag: { red: 1, amber: 0, green: 0, complete: 1 },
      recommendationsByStatus: { in_progress: 1, not_accepted: 1 },
    });
  });

  it('groups by region, and filters by region', async () => {
    const body = await get('/api/v1/rollups?groupBy=region');
    expect(body.items).toEqual([
      { key: 'london', name: 'London', ...B },
      { key: 'south_east', name: 'South East', ...A },
    ]);
    const filtered = await get('/api/v1/rollups?groupBy=organisation&region=london');
    expect(filtered.items.map((i: { key: string }) => i.key)).toEqual([f.B.id]);
  });

  it('groups by inspection and by recommendation, with inspection and theme filters', async () => {
    const inspections = await get('/api/v1/rollups?groupBy=inspection');
    expect(inspections.items.map((i: { name: string }) => i.name).sort()).toEqual([
      'Inspection of A',
      'Inspection of B',
    ]);
    expect(inspections.items.find((i: { key: string }) => i.key === f.IA.id)).toMatchObject(A);
    const themed = await get('/api/v1/rollups?groupBy=inspection&theme=protecting_children');
    expect(themed.items).toHaveLength(1);
    expect(themed.items[0]).toMatchObject({ key: f.IA.id, total: 2, verified: 1, redatedCount: 1 });

    const recs = await get(`/api/v1/rollups?groupBy=recommendation&inspectionId=${f.IA.id}`);
    const byKey = Object.fromEntries(recs.items.map((i: { key: string }) => [i.key, i]));
    expect(Object.keys(byKey).sort()).toEqual([f.RA1.id, f.RA2.id, f.RA3.id].sort());
    expect(byKey[f.RA1.id]).toMatchObject({
      total: 3,
      overdue: 1,
      medianDaysOverdue: 10,
      name: expect.stringMatching(/^R1: /),
    });
    expect(byKey[f.RA3.id]).toMatchObject({
      total: 0,
      percentComplete: 0,
      medianDaysOverdue: null,
      recommendationsByStatus: { not_accepted: 1, not_started: 0 },
    });

    const orgTheme = await get(`/api/v1/rollups?groupBy=organisation&theme=risk_of_harm&inspectionId=${f.IB.id}`);
    expect(orgTheme.items).toEqual([expect.objectContaining({ key: f.B.id, ...B })]);
    const themeInInspection = await get(`/api/v1/rollups?groupBy=theme&inspectionId=${f.IA.id}`);
    expect(themeInInspection.items.map((i: { key: string; total: number }) => [i.key, i.total])).toEqual([
      ['risk_of_harm', 3],
      ['protecting_children', 2],
    ]);
  });

  it('pages inspection and recommendation lists', async () => {
    const first = await get('/api/v1/rollups?groupBy=recommendation&limit=2');
    expect(first.items).toHaveLength(2);
    const second = await get(`/api/v1/rollups?groupBy=recommendation&limit=2&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items].map((i: { key: string }) => i.key);
    expect(new Set(all).size).toBe(4);
  });

  it('scopes by role: senior managers and viewers see their organisation, admins everything', async () => {
    const sm = await get('/api/v1/rollups?groupBy=organisation', 'smA');
    expect(sm.items.map((i: { key: string }) => i.key)).toEqual([f.A.id]);
    const viewer = await get('/api/v1/rollups/portfolio', 'viewerB');
    expect(viewer).toMatchObject({ organisations: 1, total: 3, medianDaysOverdue: 5 });
    const admin = await get('/api/v1/rollups?groupBy=organisation', 'admin');
    expect(admin.items.map((i: { key: string }) => i.key)).toEqual([f.A.id, f.B.id, f.C.id]);
    const outside = await get(`/api/v1/rollups?groupBy=organisation&organisationId=${f.C.id}`);
    expect(outside.items).toEqual([]);
    const smOther = await get(`/api/v1/rollups?groupBy=inspection&inspectionId=${f.IB.id}`, 'smA');
    expect(smOther.items).toEqual([]);
  });

  it('moves overdue, RAG and the median on to a later day without recomputing, exactly as a recomputation', async () => {
    api.clock!.set(new Date('2026-03-06T12:00:00Z'));
    try {
      // b3 (due 5 March) is now 1 day overdue; a1 14 days, b1 9 days.
      const moved = await get('/api/v1/rollups?groupBy=organisation');
      expect(moved.date).toBe('2026-03-06');
      const portfolio = await get('/api/v1/rollups/portfolio');
      expect(portfolio).toMatchObject({ overdue: 3, medianDaysOverdue: 9, byRag: { red: 4, amber: 1, green: 1 } });
      const theme = await get('/api/v1/rollups?groupBy=theme');
      await rollups.reconcile('test');
      expect(await get('/api/v1/rollups?groupBy=organisation')).toEqual({ ...moved, asOf: expect.any(String) });
      expect(await get('/api/v1/rollups?groupBy=theme')).toEqual({ ...theme, asOf: expect.any(String) });
      expect(moved.items[1]).toMatchObject({ overdue: 2, medianDaysOverdue: 5, byRag: { red: 2, green: 1 } });
      // Beyond the stored window (a worker down for weeks) the read recomputes first.
      api.clock!.set(new Date('2026-04-20T12:00:00Z'));
      const late = await get('/api/v1/rollups?groupBy=organisation');
      expect(late.items[1]).toMatchObject({ overdue: 2, byRag: { red: 2, green: 1 } });
    } finally {
      api.clock!.set(new Date('2026-03-02T12:00:00Z'));
      await rollups.reconcile('test');
    }
  });

  it('answers bad input with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['/api/v1/rollups', 'groupBy'],
      ['/api/v1/rollups?groupBy=owner', 'groupBy'],
      ['/api/v1/rollups?groupBy=theme&inspectionId=nope', 'inspectionId'],
      ['/api/v1/rollups?groupBy=theme&organisationId=1', 'organisationId'],
      ['/api/v1/rollups?groupBy=theme&theme=pirates', 'theme'],
      ['/api/v1/rollups?groupBy=theme&region=atlantis', 'region'],
      ['/api/v1/rollups?groupBy=theme&limit=0', 'limit'],
      ['/api/v1/rollups?groupBy=recommendation&cursor=garbage', 'cursor'],
      ['/api/v1/rollups?groupBy=theme&colour=red', 'colour'],
      ['/api/v1/rollups/trend?groupBy=theme', 'key'],
      ['/api/v1/rollups/trend?groupBy=theme&key=risk_of_harm&from=2026-02-30', 'from'],
      ['/api/v1/rollups/trend?groupBy=theme&key=risk_of_harm&from=2026-03-02&to=2026-03-01', 'from'],
    ];
    for (const [path, field] of cases) {
      const body = await get(path, 'pm', 400);
      expect({ path, fields: body.errors.map((e: { field: string }) => e.field) }).toEqual({
        path,
        fields: expect.arrayContaining([field]),
      });
    }
  });

  it('records the day for the trend and answers one point per day within scope', async () => {
    await rollups.captureDay('2026-03-02');
    const body = await get(`/api/v1/rollups/trend?groupBy=organisation&key=${f.A.id}&from=2026-03-01&to=2026-03-03`);
    expect(body).toMatchObject({ groupBy: 'organisation', key: f.A.id, name: 'A Probation Trust' });
    expect(body.points).toEqual([{ date: '2026-03-02', ...A }]);
    const theme = await get('/api/v1/rollups/trend?groupBy=theme&key=risk_of_harm&from=2026-03-01&to=2026-03-03');
    expect(theme.points).toEqual([expect.objectContaining({ date: '2026-03-02', total: 6, medianDaysOverdue: 7.5 })]);
    const hidden = await get(`/api/v1/rollups/trend?groupBy=organisation&key=${f.C.id}&from=2026-03-01`, 'pm');
    expect(hidden.points).toEqual([]);
  });

  it('refuses the reconciliation endpoint to everyone but admins', async () => {
    await get('/api/v1/jobs/rollups/reconcile/rollups-reconcile-00000000-0000-0000-0000-000000000000', 'pm', 403);
    const res = await api.http().post('/api/v1/jobs/rollups/reconcile').set('Authorization', `Bearer ${token.smA}`);
    expect(res.status).toBe(403);
  });
});
