import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;

/** Admin: inspections (list by organisation), recording one, changing it, adding findings. */
describe('web admin: inspections', () => {
  let api: ApiHarness;
  let admin: WebClient;
  let kent: World;
  let surrey: { id: string; name: string };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    kent = await api.factories.world();
    surrey = await api.factories.organisation({ name: 'Surrey Probation Trust' });
    admin = new WebClient(api);
    await admin.signIn(await api.factories.user({ role: 'admin' }));
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const inspection = async (id: string) =>
    (
      await api.pool.query(
        `SELECT organisation_id, inspectorate_id, title, programme, published_on::text, published_on_approximate,
           report_url, version FROM inspections WHERE id = $1`,
        [id],
      )
    ).rows[0];
  const count = async () => (await api.pool.query(`SELECT count(*)::int AS n FROM inspections`)).rows[0].n as number;
  const fields = () => ({
    organisationId: surrey.id,
    inspectorateId: kent.inspectorate.id,
    title: 'Inspection of Adult Offending Work: Surrey',
    programme: 'Inspection of Adult Offending Work',
    'publishedOn-day': '12',
    'publishedOn-month': '2',
    'publishedOn-year': '2014',
    reportUrl: 'https://www.justiceinspectorates.gov.uk/hmiprobation/surrey.pdf',
  });

  it('records an inspection and lists it, linked to its page, newest first', async () => {
    const res = await admin.submit('/admin/inspections/new', { ...fields(), publishedOnApproximate: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/inspections?organisation=${surrey.id}`);
    const { rows } = await api.pool.query(`SELECT id FROM inspections WHERE organisation_id = $1`, [surrey.id]);
    expect(await inspection(rows[0].id)).toEqual({
      organisation_id: surrey.id,
      inspectorate_id: kent.inspectorate.id,
      title: 'Inspection of Adult Offending Work: Surrey',
      programme: 'Inspection of Adult Offending Work',
      published_on: '2014-02-12',
      published_on_approximate: true,
      report_url: 'https://www.justiceinspectorates.gov.uk/hmiprobation/surrey.pdf',
      version: 1,
    });
    const list = await admin.get(res.headers.location);
    expect(list.text).toContain('Inspection “Inspection of Adult Offending Work: Surrey” added');
    expect(list.text).toContain(
      `<a class="govuk-link" href="/inspections/${rows[0].id}">Inspection of Adult Offending Work: Surrey</a>`,
    );
    expect(list.text).toContain('12 February 2014 (approximate)');
    expect(list.text).not.toContain(`data-inspection-id="${kent.inspection.id}"`);

    const all = await admin.get('/admin/inspections');
    const order = [...all.text.matchAll(/data-inspection-id="([^"]+)"/g)].map((m) => m[1]);
    // Kent's is published 1 March 2014, Surrey's 12 February.
    expect(order.indexOf(kent.inspection.id)).toBeLessThan(order.indexOf(rows[0].id));
    expect(all.text).toContain(`href="/admin/inspections/${kent.inspection.id}/edit"`);
    expect(all.text).toContain(`href="/admin/inspections/${kent.inspection.id}/findings"`);
  });

  it.each([
    [{ organisationId: '' }, '#organisationId', 'Select the inspected organisation'],
    [{ inspectorateId: 'x' }, '#inspectorateId', 'Select the inspectorate'],
    [{ title: ' ' }, '#title', 'Enter the report’s title'],
    [{ 'publishedOn-day': '31', 'publishedOn-month': '4' }, '#publishedOn-day', 'Published date must be a real date'],
    [{ 'publishedOn-year': '' }, '#publishedOn-year', 'Published date must include a year'],
    [{ 'publishedOn-year': '14' }, '#publishedOn-year', 'Year must include 4 numbers'],
    [
      { reportUrl: 'www.example.org' },
      '#reportUrl',
      'Enter the report link as a full web address starting with https:// or http://',
    ],
  ])('refuses %j with the error summary and records nothing', async (bad, href, message) => {
    const before = await count();
    const res = await admin.submit('/admin/inspections/new', { ...fields(), ...bad });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Error: Add an inspection - Recommendation Tracker</title>');
    expect(res.text).toContain(`<a href="${href}">${message}</a>`);
    expect(res.text).toContain('value="Inspection of Adult Offending Work"');
    expect(await count()).toBe(before);
  });

  it('marks only the boxes of the published date that are in error, and reads a month by its name', async () => {
    const res = await admin.submit('/admin/inspections/new', { ...fields(), 'publishedOn-year': '14' });
    expect(res.status).toBe(400);
    const boxInError = (part: string) =>
      new RegExp(`class="[^"]*govuk-input--error[^"]*" id="publishedOn-${part}"`).test(res.text);
    expect([boxInError('day'), boxInError('month'), boxInError('year')]).toEqual([false, false, true]);
    const named = await admin.submit('/admin/inspections/new', { ...fields(), 'publishedOn-month': 'February' });
    expect(named.status).toBe(303);
  });

  it('refuses an inspectorate as the inspected organisation (it is not offered)', async () => {
    const page = await admin.get('/admin/inspections/new');
    const inspected = /<select class="govuk-select" id="organisationId"[\s\S]*?<\/select>/.exec(page.text)![0];
    expect(inspected).toContain(`value="${surrey.id}"`);
    expect(inspected).not.toContain(kent.inspectorate.id);
    const res = await admin.submit('/admin/inspections/new', { ...fields(), organisationId: kent.inspectorate.id });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<a href="#organisationId">Select the inspected organisation</a>');
  });

  it('changes an inspection, and says so when someone else changed it first', async () => {
    const made = await api.factories.inspection({
      organisationId: surrey.id,
      inspectorateId: kent.inspectorate.id,
      title: 'Draft title',
    });
    const form = await admin.get(`/admin/inspections/${made.id}/edit`);
    expect(form.text).toContain('value="Draft title"');
    expect(form.text).toContain('name="publishedOn-month" type="text" value="3"');
    const res = await admin.submit(`/admin/inspections/${made.id}/edit`, {
      ...fields(),
      version: '1',
      title: 'Final title',
      reportUrl: '',
    });
    expect(res.status).toBe(303);
    expect(await inspection(made.id)).toMatchObject({
      title: 'Final title',
      published_on: '2014-02-12',
      report_url: null,
      version: 2,
    });

    const late = await admin.submit(`/admin/inspections/${made.id}/edit`, {
      ...fields(),
      version: '1',
      title: 'Late title',
    });
    expect(late.status).toBe(409);
    expect(late.text).toContain('Someone else changed this inspection while you were editing it');
    expect(late.text).toContain('value="Late title"');
    expect((await inspection(made.id)).title).toBe('Final title');
  });

  it('says the service’s rule when the inspected organisation cannot change', async () => {
    const res = await admin.submit(`/admin/inspections/${kent.inspection.id}/edit`, { ...fields(), version: '1' });
    expect(res.status).toBe(400);
    expect(res.text).toContain(
      '<a href="#organisationId">The inspected organisation cannot change once the inspection has recommendations</a>',
    );
    expect((await inspection(kent.inspection.id)).organisation_id).toBe(kent.organisation.id);
  });

  it('adds strengths and concerns to an inspection', async () => {
    const page = await admin.get(`/admin/inspections/${kent.inspection.id}/findings`);
    expect(page.text).toContain(`href="/inspections/${kent.inspection.id}"`);
    expect(page.text).toContain('None recorded.');
    const strength = await admin.submit(`/admin/inspections/${kent.inspection.id}/findings`, {
      kind: 'strength',
      text: 'Most court reports were of high quality',
    });
    expect(strength.status).toBe(303);
    await admin.submit(`/admin/inspections/${kent.inspection.id}/findings`, {
      kind: 'concern',
      text: 'Home visits not always made in high risk cases',
    });
    const after = await admin.get(`/admin/inspections/${kent.inspection.id}/findings`);
    expect(after.text).toContain('Concern added');
    expect(after.text).toMatch(/data-qa="strengths"><li>Most court reports were of high quality<\/li>/);
    expect(after.text).toMatch(/data-qa="concerns"><li>Home visits not always made in high risk cases<\/li>/);

    const bad = await admin.submit(`/admin/inspections/${kent.inspection.id}/findings`, { kind: 'rumour', text: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<a href="#kind">Select strength or concern</a>');
    expect(bad.text).toContain('<a href="#text">Enter what the report says</a>');
    const { rows } = await api.pool.query(`SELECT kind FROM findings WHERE inspection_id = $1 ORDER BY ordinal`, [
      kent.inspection.id,
    ]);
    expect(rows.map((r) => r.kind)).toEqual(['strength', 'concern']);
  });

  it('answers unknown inspections with the 404 page', async () => {
    expect((await admin.get('/admin/inspections/0f8fad5b-d9cb-469f-a165-70867728950e/edit')).status).toBe(404);
    expect((await admin.get('/admin/inspections/0f8fad5b-d9cb-469f-a165-70867728950e/findings')).status).toBe(404);
    expect((await admin.get('/admin/inspections/nope/edit')).status).toBe(404);
  });
});
