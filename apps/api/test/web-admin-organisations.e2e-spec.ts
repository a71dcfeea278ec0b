import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

/** Admin: the organisations list, an organisation's page, adding and changing one. */
describe('web admin: organisations', () => {
  let api: ApiHarness;
  let admin: WebClient;
  let kent: { id: string; name: string };
  let nps: { id: string; name: string };
  let crc: { id: string; name: string };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const make = api.factories;
    kent = await make.organisation({ name: 'Kent Probation Trust', status: 'dissolved', dissolvedOn: '2014-05-31' });
    nps = await make.organisation({ name: 'NPS South East and Eastern', kind: 'nps_division' });
    crc = await make.organisation({ name: 'Kent, Surrey and Sussex CRC', kind: 'crc' });
    await api.pool.query(
      `INSERT INTO organisation_successors (predecessor_id, successor_id) VALUES ($1, $2), ($1, $3)`,
      [kent.id, nps.id, crc.id],
    );
    admin = new WebClient(api);
    await admin.signIn(await make.user({ role: 'admin' }));
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const rowOf = (html: string, id: string) =>
    new RegExp(
      `<tr class="govuk-table__row" data-qa="organisation-row" data-organisation-id="${id}">([\\s\\S]*?)</tr>`,
    ).exec(html)?.[1] ?? '';
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const organisation = async (id: string) =>
    (
      await api.pool.query(
        `SELECT name, kind, region, status, dissolved_on::text, version FROM organisations WHERE id = $1`,
        [id],
      )
    ).rows[0];

  it('lists organisations with kind, region, status, dissolution date and linked successors', async () => {
    const res = await admin.get('/admin/organisations');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>Organisations - Recommendation Tracker</title>');
    expect(res.text).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">Organisations by name</caption>',
    );
    const row = rowOf(res.text, kent.id);
    expect(text(row)).toBe(
      'Kent Probation Trust Probation Trust South East Dissolved 31 May 2014 Kent, Surrey and Sussex CRC NPS South East and Eastern',
    );
    expect(row).toContain(`href="/admin/organisations/${nps.id}"`);
    expect(row).toContain(`href="/admin/organisations/${crc.id}"`);
    expect(text(rowOf(res.text, nps.id))).toBe(
      'NPS South East and Eastern National Probation Service division South East Active',
    );
  });

  it('filters by kind and status with a GET form, and pages long lists', async () => {
    const crcs = await admin.get('/admin/organisations?kind=crc');
    expect(crcs.text).toContain(crc.id);
    expect(crcs.text).not.toContain(`data-organisation-id="${kent.id}"`);
    expect(crcs.text).toMatch(/<option value="crc" selected>/);
    const dissolved = await admin.get('/admin/organisations?status=dissolved');
    expect(dissolved.text).toContain(`data-organisation-id="${kent.id}"`);
    expect(dissolved.text).not.toContain(`data-organisation-id="${nps.id}"`);
    expect((await admin.get('/admin/organisations?kind=nonsense&cursor=%%%')).status).toBe(200);

    for (let i = 0; i < 22; i++) {
      await api.factories.organisation({ name: `Zeta Trust ${String(i).padStart(2, '0')}`, kind: 'other' });
    }
    const first = await admin.get('/admin/organisations?kind=other');
    expect(first.text.match(/data-qa="organisation-row"/g)).toHaveLength(20);
    const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(first.text);
    expect(next).not.toBeNull();
    const second = await admin.get(next![1].replace(/&amp;/g, '&'));
    expect(second.text.match(/data-qa="organisation-row"/g)).toHaveLength(2);
    expect(second.text).toContain('Zeta Trust 21');
    expect(second.text).toContain('rel="prev"');
  });

  it('shows an organisation’s predecessors and successors, linked', async () => {
    const page = await admin.get(`/admin/organisations/${nps.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1 class="govuk-heading-l">NPS South East and Eastern</h1>');
    expect(page.text).toMatch(
      new RegExp(`data-qa="predecessors"[\\s\\S]*?href="/admin/organisations/${kent.id}">Kent Probation Trust<`),
    );
    const trust = await admin.get(`/admin/organisations/${kent.id}`);
    expect(trust.text).toContain('Dissolved on 31 May 2014');
    expect(trust.text).toMatch(new RegExp(`data-qa="successors"[\\s\\S]*?href="/admin/organisations/${crc.id}"`));
    expect(trust.text).toContain(`href="/admin/settings/organisations/${kent.id}"`);
  });

  it('adds an organisation', async () => {
    const res = await admin.submit('/admin/organisations/new', {
      name: '  Surrey Probation Trust ',
      kind: 'probation_trust',
      region: 'south_east',
      status: 'active',
      'dissolvedOn-day': '',
      'dissolvedOn-month': '',
      'dissolvedOn-year': '',
    });
    expect(res.status).toBe(303);
    const { rows } = await api.pool.query(`SELECT id FROM organisations WHERE name = 'Surrey Probation Trust'`);
    expect(rows).toHaveLength(1);
    expect(res.headers.location).toBe(`/admin/organisations/${rows[0].id}`);
    const page = await admin.get(res.headers.location);
    expect(page.text).toContain('Surrey Probation Trust added');
    expect(await organisation(rows[0].id)).toMatchObject({
      kind: 'probation_trust',
      region: 'south_east',
      status: 'active',
    });
  });

  it.each([
    [{ name: '' }, '#name', 'Enter the organisation’s name'],
    [{ kind: 'council' }, '#kind', 'Select the kind of organisation'],
    [{ status: 'dissolved' }, '#dissolvedOn-day', 'Enter the date dissolved'],
    [
      { 'dissolvedOn-day': '30', 'dissolvedOn-month': '2', 'dissolvedOn-year': '2014' },
      '#dissolvedOn-day',
      'Date dissolved must be a real date',
    ],
    // The service's rule: only a dissolved organisation has a dissolution date.
    [
      { 'dissolvedOn-day': '1', 'dissolvedOn-month': '6', 'dissolvedOn-year': '2014' },
      '#dissolvedOn-day',
      'An active organisation cannot have a dissolution date',
    ],
    [{ name: 'kent probation trust' }, '#name', 'An organisation with this name already exists'],
  ])('refuses %j with the error summary, keeping what was typed and adding nothing', async (fields, href, message) => {
    const [{ count: before }] = (await api.pool.query(`SELECT count(*)::int AS count FROM organisations`)).rows;
    const res = await admin.submit('/admin/organisations/new', {
      name: 'Sussex Probation Trust',
      kind: 'probation_trust',
      region: 'south_east',
      status: 'active',
      ...fields,
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Error: Add an organisation - Recommendation Tracker</title>');
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain(`<a href="${href}">${message}</a>`);
    expect(res.text).toContain(`value="${(fields as Record<string, string>).name ?? 'Sussex Probation Trust'}"`);
    const [{ count: after }] = (await api.pool.query(`SELECT count(*)::int AS count FROM organisations`)).rows;
    expect(after).toBe(before);
  });

  it('changes an organisation, its successors included', async () => {
    const surrey = await api.factories.organisation({ name: 'Old Surrey Trust' });
    const form = await admin.get(`/admin/organisations/${surrey.id}/edit`);
    expect(form.text).toContain('<title>Change Old Surrey Trust - Recommendation Tracker</title>');
    expect(form.text).toContain('name="version" value="1"');
    const res = await admin.submit(`/admin/organisations/${surrey.id}/edit`, {
      version: '1',
      name: 'Surrey and Sussex Trust',
      kind: 'probation_trust',
      region: 'south_east',
      status: 'dissolved',
      'dissolvedOn-day': '31',
      'dissolvedOn-month': '5',
      'dissolvedOn-year': '2014',
      successorIds: [crc.id],
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/organisations/${surrey.id}`);
    expect(await organisation(surrey.id)).toMatchObject({
      name: 'Surrey and Sussex Trust',
      status: 'dissolved',
      dissolved_on: '2014-05-31',
      version: 2,
    });
    const page = await admin.get(`/admin/organisations/${surrey.id}`);
    expect(page.text).toContain('Organisation updated');
    expect(page.text).toMatch(new RegExp(`data-qa="successors"[\\s\\S]*?href="/admin/organisations/${crc.id}"`));
    const successor = await admin.get(`/admin/organisations/${crc.id}`);
    expect(successor.text).toMatch(new RegExp(`data-qa="predecessors"[\\s\\S]*?Surrey and Sussex Trust`));
  });

  it('says so when someone else changed the organisation first, keeping the typing and saving nothing', async () => {
    const other = await api.factories.organisation({ name: 'Wessex Trust' });
    const fields = { kind: 'probation_trust', region: 'south_west', status: 'active' };
    const first = await admin.submit(`/admin/organisations/${other.id}/edit`, {
      ...fields,
      version: '1',
      name: 'Wessex Trust (first)',
    });
    expect(first.status).toBe(303);
    const late = await admin.submit(`/admin/organisations/${other.id}/edit`, {
      ...fields,
      version: '1',
      name: 'Wessex Trust (late)',
    });
    expect(late.status).toBe(409);
    expect(late.text).toContain('Someone else changed this organisation while you were editing it');
    expect(late.text).toContain('value="Wessex Trust (late)"');
    expect(late.text).toContain('name="version" value="2"');
    expect(await organisation(other.id)).toMatchObject({ name: 'Wessex Trust (first)', version: 2 });
  });

  it('answers unknown organisations with the 404 page', async () => {
    expect((await admin.get('/admin/organisations/0f8fad5b-d9cb-469f-a165-70867728950e')).status).toBe(404);
    expect((await admin.get('/admin/organisations/not-an-id/edit')).status).toBe(404);
  });
});
