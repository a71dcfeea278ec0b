import { RollupsService } from '@rt/domain';
import { PORTFOLIO_PAGE_SIZE } from '../src/web/dashboard/dashboard.web.controller';
import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

/** A national admin sees every organisation: the portfolio table is sorted whole, then shown a page at a time. */
describe('web: the dashboard pages a large portfolio', () => {
  let api: ApiHarness;
  let admin: WebClient;
  const count = PORTFOLIO_PAGE_SIZE + 3;

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const make = api.factories;
    const inspectorate = await make.inspectorate();
    for (let i = 1; i <= count; i++) {
      const org = await make.organisation({ name: `Trust ${String(i).padStart(3, '0')}` });
      // Each has an action due later; Trust 001 has one overdue too, Trust 002 two, Trust 003 three.
      const inspection = await make.inspection({ organisationId: org.id, inspectorateId: inspectorate.id });
      const rec = await make.recommendation({ inspectionId: inspection.id, ownerOrganisationId: org.id });
      await make.action({ recommendationId: rec.id, dueDate: '2026-12-01' });
      for (let a = 0; a < (i <= 3 ? i : 0); a++) await make.action({ recommendationId: rec.id, dueDate: '2026-01-01' });
    }
    await api.app.get(RollupsService).reconcile('test');
    admin = new WebClient(api);
    await admin.signIn(await make.user({ role: 'admin' }));
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const namesOf = (html: string) =>
    [...html.matchAll(/data-qa="organisation"><a class="govuk-link" href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

  it(`shows ${PORTFOLIO_PAGE_SIZE} organisations a page, with GOV.UK pagination and the totals of all`, async () => {
    const first = await admin.get('/dashboard');
    expect(first.status).toBe(200);
    expect(namesOf(first.text)).toHaveLength(PORTFOLIO_PAGE_SIZE);
    expect(namesOf(first.text)[0]).toBe('Trust 001');
    expect(first.text).toContain(`Page 1 of 2, ${count} organisations`);
    expect(first.text).toContain('aria-label="Pages of your portfolio"');
    expect(first.text).toMatch(/href="\/dashboard\?sort=name&amp;order=asc&amp;page=2" rel="next"/);
    expect(first.text).toContain(`${count} organisations, ${count + 6} actions`);

    const second = await admin.get('/dashboard?sort=name&order=asc&page=2');
    expect(namesOf(second.text)).toEqual(['Trust 051', 'Trust 052', 'Trust 053']);
    expect(second.text).toContain('Page 2 of 2');
    // Past the end: the last page; nonsense: the first.
    expect(namesOf((await admin.get('/dashboard?page=40')).text)).toEqual(['Trust 051', 'Trust 052', 'Trust 053']);
    expect(namesOf((await admin.get('/dashboard?page=-1')).text)[0]).toBe('Trust 001');
  });

  it('sorts across every page before paging', async () => {
    const byOverdue = await admin.get('/dashboard?sort=overdue&order=desc');
    expect(namesOf(byOverdue.text).slice(0, 3)).toEqual(['Trust 003', 'Trust 002', 'Trust 001']);
    expect(byOverdue.text).toMatch(/href="\/dashboard\?sort=overdue&amp;order=desc&amp;page=2"/);
  });

  it('lists active organisations of the portfolio that have nothing to roll up yet, with zeros', async () => {
    const make = api.factories;
    const trust = (await make.organisation({ name: 'Trust 001 (with actions)' })).id;
    const crc = await make.organisation({ name: 'Kent, Surrey and Sussex CRC', kind: 'crc' });
    const gone = await make.organisation({ name: 'Old Trust', status: 'dissolved', dissolvedOn: '2014-06-01' });
    const inspection = await make.inspection({ organisationId: trust, inspectorateId: (await make.inspectorate()).id });
    const rec = await make.recommendation({ inspectionId: inspection.id, ownerOrganisationId: trust });
    await make.action({ recommendationId: rec.id, dueDate: '2026-12-01' });
    await api.app.get(RollupsService).reconcile('test');
    const pm = new WebClient(api);
    await pm.signIn(await make.user({ role: 'performance_manager', portfolio: [trust, crc.id, gone.id] }));
    const res = await pm.get('/dashboard');
    expect(namesOf(res.text)).toEqual(['Kent, Surrey and Sussex CRC', 'Trust 001 (with actions)']);
    expect(res.text).toContain('2 organisations, 1 action, 0% complete');
    const crcRow = new RegExp(`data-organisation-id="${crc.id}">([\\s\\S]*?)</tr>`).exec(res.text)![1];
    expect(
      crcRow
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ).toBe('Kent, Surrey and Sussex CRC 0% 0 0 0 0 0 0 0');
  });
});
