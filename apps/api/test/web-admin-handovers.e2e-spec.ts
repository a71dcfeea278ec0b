import { ApiHarness, startApi } from './api-harness';
import { csrfOf, removeWebKeys, WebClient } from './web-harness';

/**
 * The hand-over wizard without JavaScript, on the June 2014 story: Kent Probation Trust's open recommendations move
 * to the National Probation Service division and the Community Rehabilitation Company; closed ones stay.
 *   R1 open: a1 in progress, owned by Kent's senior manager (unassigned by the move); a2 verified (keeps its owner)
 *   R2 open: a3 not started, no owner
 *   R3 open, no actions yet
 *   R4 verified (its one action verified), R5 not accepted: closed, they stay with Kent
 */
describe('web admin: hand-overs', () => {
  let api: ApiHarness;
  let admin: WebClient;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApi({ today: '2014-06-02' });
    const make = api.factories;
    const hmip = await make.inspectorate();
    id.kent = (await make.organisation({ name: 'Kent Probation Trust' })).id;
    id.nps = (await make.organisation({ name: 'NPS South East and Eastern Division', kind: 'nps_division' })).id;
    id.crc = (await make.organisation({ name: 'Kent, Surrey and Sussex CRC', kind: 'crc' })).id;
    id.inspection = (
      await make.inspection({ organisationId: id.kent, inspectorateId: hmip.id, title: 'Inspection of Kent' })
    ).id;
    const manager = await make.user({
      role: 'senior_manager',
      organisationId: id.kent,
      name: 'Head of Public Protection',
    });
    id.manager = manager.id;
    const rec = async (reference: string, extra = {}) =>
      (await make.recommendation({ inspectionId: id.inspection, ownerOrganisationId: id.kent, reference, ...extra }))
        .id;
    id.r1 = await rec('R1');
    id.r2 = await rec('R2');
    id.r3 = await rec('R3');
    id.r4 = await rec('R4');
    id.r5 = await rec('R5', { response: 'not_accepted', responseRationale: 'Covered by the regional plan' });
    id.a1 = (
      await make.action({
        recommendationId: id.r1,
        ownerId: manager.id,
        dueDate: '2014-09-30',
        title: 'Audit risk plans',
      })
    ).id;
    id.a2 = (
      await make.action({
        recommendationId: id.r1,
        ownerId: manager.id,
        dueDate: '2014-04-30',
        status: 'verified',
        progress: 100,
      })
    ).id;
    id.a3 = (await make.action({ recommendationId: id.r2, dueDate: '2014-10-31' })).id;
    id.a4 = (
      await make.action({
        recommendationId: id.r4,
        ownerId: manager.id,
        dueDate: '2014-03-31',
        status: 'verified',
        progress: 100,
      })
    ).id;

    // History from before the hand-over: the senior manager reports progress on a1.
    const sm = new WebClient(api);
    await sm.signIn(manager);
    const update = await sm.submit(`/actions/${id.a1}`, {
      version: '1',
      status: 'in_progress',
      progress: '30',
      comment: 'Audit of risk plans started',
      evidence: '',
      'dueDate-day': '',
      'dueDate-month': '',
      'dueDate-year': '',
    });
    expect(update.status).toBe(303);

    admin = new WebClient(api);
    await admin.signIn(await make.user({ role: 'admin', name: 'Service Administrator' }));
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const owners = async () =>
    Object.fromEntries(
      (
        await api.pool.query(`SELECT reference, owner_organisation_id FROM recommendations WHERE inspection_id = $1`, [
          id.inspection,
        ])
      ).rows.map((r) => [r.reference, r.owner_organisation_id]),
    );
  const handoverCount = async () =>
    (await api.pool.query(`SELECT count(*)::int AS n FROM handovers`)).rows[0].n as number;
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const start = {
    fromOrganisationIds: [] as string[],
    'effectiveOn-day': '1',
    'effectiveOn-month': '6',
    'effectiveOn-year': '2014',
    kind: 'split',
    dissolvePredecessors: 'yes',
  };

  it('hands Kent’s open recommendations to the NPS division and the CRC, step by step, without JavaScript', async () => {
    // (a) Who hands over, when and how.
    const first = await admin.get('/admin/handovers/new');
    expect(first.text).toContain('<title>Organisations handing over - Recommendation Tracker</title>');
    const missing = await admin.submit('/admin/handovers/new', { kind: '', dissolvePredecessors: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain(
      '<a href="#fromOrganisationIds">Select the organisation or organisations handing over</a>',
    );
    expect(missing.text).toContain('<a href="#effectiveOn-day">Enter the effective date</a>');
    expect(missing.text).toContain('<a href="#kind">Select the kind of restructuring</a>');
    const a = await admin.submit('/admin/handovers/new', { ...start, fromOrganisationIds: [id.kent] });
    expect(a.status).toBe(303);
    expect(a.headers.location).toBe('/admin/handovers/new/successors');

    // (b) Who takes over: active organisations other than Kent.
    const b = await admin.get(a.headers.location);
    expect(b.text).toContain('Handing over: Kent Probation Trust.');
    expect(b.text).toContain(`value="${id.nps}"`);
    expect(b.text).not.toContain(`value="${id.kent}"`);
    const none = await admin.submit('/admin/handovers/new/successors', {});
    expect(none.status).toBe(400);
    expect(none.text).toContain('<a href="#successorIds">Select the organisation or organisations taking over</a>');
    const b2 = await admin.submit('/admin/handovers/new/successors', { successorIds: [id.nps, id.crc] });
    expect(b2.headers.location).toBe('/admin/handovers/new/allocations');

    // (c) Each open recommendation to a successor: R1 to R3 are offered, R4 and R5 (closed) are not.
    const c = await admin.get(b2.headers.location);
    const offered = [...c.text.matchAll(/data-qa="allocation" data-recommendation-id="([^"]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual([id.r1, id.r2, id.r3]);
    expect(c.text).toContain('R1: Improve the management of risk of harm to others.');
    expect(c.text).toContain('Inspection of Kent (Kent Probation Trust)');
    const partial = await admin.submit('/admin/handovers/new/allocations', {
      [`allocation-${id.r1}`]: id.nps,
      [`allocation-${id.r2}`]: id.nps,
    });
    expect(partial.status).toBe(400);
    expect(partial.text).toContain(`<a href="#allocation-${id.r3}">Select who takes over R3</a>`);
    expect(partial.text).not.toContain(`Select who takes over R1`);
    expect(partial.text).toMatch(new RegExp(`name="allocation-${id.r1}" type="radio" value="${id.nps}" checked`));
    const c2 = await admin.submit('/admin/handovers/new/allocations', {
      [`allocation-${id.r1}`]: id.nps,
      [`allocation-${id.r2}`]: id.nps,
      [`allocation-${id.r3}`]: id.crc,
    });
    expect(c2.headers.location).toBe('/admin/handovers/new/check');

    // (d) Check answers, with the service's dry run; nothing has moved yet.
    const d = await admin.get(c2.headers.location);
    expect(d.text).toContain('<title>Check the hand-over - Recommendation Tracker</title>');
    const answers = text(/data-qa="answers"[\s\S]*?<\/dl>/.exec(d.text)![0]);
    expect(answers).toContain('Handing over Kent Probation Trust');
    expect(answers).toContain('Effective date 1 June 2014');
    expect(answers).toContain('Dissolved Yes, on 1 June 2014');
    expect(answers).toContain('NPS South East and Eastern Division: 2 recommendations (R1, R2)');
    expect(answers).toContain('Kent, Surrey and Sussex CRC: 1 recommendation (R3)');
    expect(d.text).toContain('<span data-qa="moving-recommendations">3</span>');
    expect(d.text).toContain('<span data-qa="moving-actions">3</span>');
    expect(d.text).toContain('<span data-qa="unassigned-count">1</span>');
    expect(d.text).toContain('<span data-qa="staying-count">2</span>');
    expect(text(/data-qa="unassigned"[\s\S]*?<\/table>/.exec(d.text)![0])).toContain(
      'Audit risk plans NPS South East and Eastern Division Head of Public Protection',
    );
    expect(d.text).toContain('Confirm hand-over');
    expect(await owners()).toEqual({ R1: id.kent, R2: id.kent, R3: id.kent, R4: id.kent, R5: id.kent });

    // Confirm: the recommendations move, the confirmation panel says what moved.
    const confirm = await admin.agent
      .post('/admin/handovers/new/check')
      .type('form')
      .send({ _csrf: csrfOf(d.text), wizardId: /name="wizardId" value="([^"]+)"/.exec(d.text)![1] });
    expect(confirm.status).toBe(303);
    const handoverId = /^\/admin\/handovers\/([0-9a-f-]{36})\/confirmation$/.exec(confirm.headers.location)![1];
    const done = await admin.get(confirm.headers.location);
    expect(done.text).toContain('<title>Hand-over complete - Recommendation Tracker</title>');
    expect(done.text).toMatch(/govuk-panel__title">\s*Hand-over complete\s*</);
    expect(done.text).toContain('3 recommendations and 3 actions moved');

    expect(await owners()).toEqual({ R1: id.nps, R2: id.nps, R3: id.crc, R4: id.kent, R5: id.kent });
    const kent = (await api.pool.query(`SELECT status, dissolved_on::text FROM organisations WHERE id = $1`, [id.kent]))
      .rows[0];
    expect(kent).toEqual({ status: 'dissolved', dissolved_on: '2014-06-01' });
    const actions = (
      await api.pool.query(`SELECT id, organisation_id, owner_id FROM actions WHERE inspection_id = $1`, [
        id.inspection,
      ])
    ).rows;
    const action = (aid: string) => actions.find((x) => x.id === aid);
    expect(action(id.a1)).toEqual({ id: id.a1, organisation_id: id.nps, owner_id: null });
    expect(action(id.a2)).toEqual({ id: id.a2, organisation_id: id.nps, owner_id: id.manager });
    expect(action(id.a4)).toEqual({ id: id.a4, organisation_id: id.kent, owner_id: id.manager });

    // The history is intact: the earlier progress update, then the hand-over, on the action's page.
    const history = await admin.get(`/actions/${id.a1}`);
    const timeline = text(/data-qa="history"[\s\S]*$/.exec(history.text)![0]);
    expect(timeline).toContain('Audit of risk plans started');
    expect(timeline).toContain('Handed over by Service Administrator');
    expect(timeline).toContain(
      'Handed over from Kent Probation Trust to NPS South East and Eastern Division (split, effective 2014-06-01)',
    );
    expect(timeline.indexOf('Handed over')).toBeLessThan(timeline.indexOf('Audit of risk plans started'));
    const { rows: recHistory } = await api.pool.query(
      `SELECT kind, handover_id FROM recommendation_updates WHERE recommendation_id = $1`,
      [id.r3],
    );
    expect(recHistory).toEqual([{ kind: 'handover', handover_id: handoverId }]);

    // The hand-over's page and the list of hand-overs.
    const page = await admin.get(`/admin/handovers/${handoverId}`);
    expect(page.text).toContain('<h1 class="govuk-heading-l">Kent Probation Trust on 1 June 2014</h1>');
    const moves = [...page.text.matchAll(/data-qa="move"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => text(m[1]));
    expect(moves).toEqual(
      expect.arrayContaining([
        'R1 Kent Probation Trust NPS South East and Eastern Division 2',
        'R2 Kent Probation Trust NPS South East and Eastern Division 1',
        'R3 Kent Probation Trust Kent, Surrey and Sussex CRC 0',
      ]),
    );
    expect(page.text).toContain(`href="/inspections/${id.inspection}">R1</a>`);
    expect(text(/data-qa="staying"[\s\S]*?<\/table>/.exec(page.text)![0])).toContain(
      'R4 Kent Probation Trust Verified',
    );
    expect(page.text).toContain(`href="/actions/${id.a1}">Audit risk plans</a>`);
    const list = await admin.get('/admin/handovers');
    const row = text(new RegExp(`data-handover-id="${handoverId}">([\\s\\S]*?)</tr>`).exec(list.text)![1]);
    expect(row).toBe(
      '1 June 2014 , hand-over Split Kent Probation Trust Kent, Surrey and Sussex CRC NPS South East and Eastern Division 3 3',
    );

    // The same confirmation sent again hands over nothing more: it leads to the hand-over already made.
    const again = await admin.agent
      .post('/admin/handovers/new/check')
      .type('form')
      .send({ _csrf: csrfOf(d.text), wizardId: /name="wizardId" value="([^"]+)"/.exec(d.text)![1] });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/admin/handovers/${handoverId}`);
    expect((await admin.get(again.headers.location)).text).toContain('This hand-over has already been confirmed');
    expect(await handoverCount()).toBe(1);
    // The wizard starts afresh.
    expect((await admin.get('/admin/handovers/new/check')).headers.location).toBe('/admin/handovers/new');
  });

  it('hands over once when the confirmation is sent twice at the same moment', async () => {
    const hmip = await api.factories.inspectorate();
    const surrey = await api.factories.organisation({ name: 'Surrey Probation Trust' });
    const inspection = await api.factories.inspection({ organisationId: surrey.id, inspectorateId: hmip.id });
    const r = await api.factories.recommendation({
      inspectionId: inspection.id,
      ownerOrganisationId: surrey.id,
      reference: 'R1',
    });
    const client = new WebClient(api);
    await client.signIn(await api.factories.user({ role: 'admin' }));
    await client.submit('/admin/handovers/new', {
      ...start,
      fromOrganisationIds: [surrey.id],
      dissolvePredecessors: 'no',
    });
    await client.submit('/admin/handovers/new/successors', { successorIds: [id.crc] });
    // One successor: it is already chosen for each recommendation.
    const allocations = await client.get('/admin/handovers/new/allocations');
    expect(allocations.text).toMatch(new RegExp(`name="allocation-${r.id}" type="radio" value="${id.crc}" checked`));
    await client.submit('/admin/handovers/new/allocations', { [`allocation-${r.id}`]: id.crc });
    const check = await client.get('/admin/handovers/new/check');
    const form = { _csrf: csrfOf(check.text), wizardId: /name="wizardId" value="([^"]+)"/.exec(check.text)![1] };
    const before = await handoverCount();
    const post = () => client.agent.post('/admin/handovers/new/check').type('form').send(form);
    const answers = await Promise.all([post(), post()]);
    expect(answers.map((x) => x.status)).toEqual([303, 303]);
    expect(answers.filter((x) => x.headers.location.endsWith('/confirmation'))).toHaveLength(1);
    expect(await handoverCount()).toBe(before + 1);
    const owner = await api.pool.query(`SELECT owner_organisation_id FROM recommendations WHERE id = $1`, [r.id]);
    expect(owner.rows[0].owner_organisation_id).toBe(id.crc);
  });

  it('shows the service’s problems on the check page and offers no confirmation until they are fixed', async () => {
    const hmip = await api.factories.inspectorate();
    const sussex = await api.factories.organisation({ name: 'Sussex Probation Trust' });
    const successor = await api.factories.organisation({ name: 'Short-lived CRC', kind: 'crc' });
    const inspection = await api.factories.inspection({ organisationId: sussex.id, inspectorateId: hmip.id });
    const r = await api.factories.recommendation({
      inspectionId: inspection.id,
      ownerOrganisationId: sussex.id,
      reference: 'R7',
    });
    const client = new WebClient(api);
    await client.signIn(await api.factories.user({ role: 'admin' }));
    await client.submit('/admin/handovers/new', { ...start, fromOrganisationIds: [sussex.id] });
    await client.submit('/admin/handovers/new/successors', { successorIds: [successor.id] });
    await client.submit('/admin/handovers/new/allocations', { [`allocation-${r.id}`]: successor.id });
    // Meanwhile the successor is dissolved.
    await api.pool.query(`UPDATE organisations SET status = 'dissolved', dissolved_on = '2014-05-31' WHERE id = $1`, [
      successor.id,
    ]);
    const check = await client.get('/admin/handovers/new/check');
    expect(check.status).toBe(200);
    expect(check.text).toContain('<title>Error: Check the hand-over - Recommendation Tracker</title>');
    expect(check.text).toContain(
      '<a href="/admin/handovers/new/successors">Short-lived CRC is dissolved: it cannot take work over</a>',
    );
    expect(check.text).toContain('data-qa="cannot-confirm"');
    expect(check.text).not.toContain('Confirm hand-over');

    // Cancelling leaves everything as it was.
    const cancel = await client.submit('/admin/handovers/new/cancel', {}, '/admin/handovers/new/check');
    expect(cancel.headers.location).toBe('/admin/handovers');
    expect((await client.get('/admin/handovers')).text).toContain('Hand-over cancelled: nothing was changed');
    expect((await client.get('/admin/handovers/new/successors')).headers.location).toBe('/admin/handovers/new');
    const owner = await api.pool.query(`SELECT owner_organisation_id FROM recommendations WHERE id = $1`, [r.id]);
    expect(owner.rows[0].owner_organisation_id).toBe(sussex.id);
  });

  it('refuses unknown organisations and answers unknown hand-overs with the 404 page', async () => {
    const bad = await admin.submit('/admin/handovers/new', {
      ...start,
      fromOrganisationIds: ['0f8fad5b-d9cb-469f-a165-70867728950e'],
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<a href="#fromOrganisationIds">Select organisations from the list</a>');
    expect((await admin.get('/admin/handovers/0f8fad5b-d9cb-469f-a165-70867728950e')).status).toBe(404);
    expect((await admin.get('/admin/handovers/nope/confirmation')).status).toBe(404);
  });
});
