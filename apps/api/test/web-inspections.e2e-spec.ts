import ExcelJS from 'exceljs';
import { ApiHarness, startApi } from './api-harness';
import { csrfOf, removeWebKeys, WebClient } from './web-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;
type User = { id: string; email: string };
type Who = 'admin' | 'pm' | 'pmOther' | 'sm' | 'viewer' | 'smOther';

/**
 * Today is 2 March 2026. The inspection of the organisation has R1 (agreed; an overdue action owned by Sam, and a
 * completed one) and R2 (not agreed, with a rationale), a strength and a concern that led to R1.
 */
describe('web: the inspection page, the printable action plan, its exports and the import', () => {
  let api: ApiHarness;
  let world: World;
  let elsewhere: World;
  const u = {} as Record<Who, User>;
  const clients = {} as Record<Who, WebClient>;

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    const make = api.factories;
    world = await make.world({ dueDate: '2026-02-20' });
    elsewhere = await make.world();
    const q = (sql: string, values: unknown[]) => api.pool.query(sql, values);
    await q(`UPDATE users SET name = 'Sam Senior' WHERE id = $1`, [world.manager.id]);
    await q(`UPDATE recommendations SET reference = 'R1' WHERE id = $1`, [world.recommendation.id]);
    await q(`UPDATE inspections SET report_url = 'https://example.org/reports/kent-2014' WHERE id = $1`, [
      world.inspection.id,
    ]);
    await make.action({
      recommendationId: world.recommendation.id,
      ownerId: world.manager.id,
      dueDate: '2026-01-31',
      status: 'completed',
      progress: 100,
      title: 'Publish the <risk> guidance',
    });
    await make.recommendation({
      inspectionId: world.inspection.id,
      ownerOrganisationId: world.organisation.id,
      reference: 'R2',
      response: 'not_accepted',
      responseRationale: 'Already checked in every case',
    });
    await q(
      `INSERT INTO findings (inspection_id, ordinal, kind, text) VALUES
         ($1, 1, 'strength', 'Most court reports were of high quality'),
         ($1, 2, 'concern', 'Risk of harm analysis was not consistent')`,
      [world.inspection.id],
    );
    await q(
      `INSERT INTO finding_recommendations (finding_id, recommendation_id)
       SELECT id, $2 FROM findings WHERE inspection_id = $1 AND kind = 'concern'`,
      [world.inspection.id, world.recommendation.id],
    );
    u.sm = world.manager;
    u.viewer = world.viewer;
    u.smOther = elsewhere.manager;
    u.admin = await make.user({ role: 'admin' });
    u.pm = await make.user({ role: 'performance_manager', portfolio: [world.organisation.id] });
    u.pmOther = await make.user({ role: 'performance_manager', portfolio: [elsewhere.organisation.id] });
    for (const [who, user] of Object.entries(u)) {
      clients[who as Who] = new WebClient(api);
      await clients[who as Who].signIn(user);
    }
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  const page = () => `/inspections/${world.inspection.id}`;
  const rowOf = (html: string, reference: string) =>
    html
      .split('data-qa="recommendation-row"')
      .slice(1)
      .find((row) => row.includes(`<th scope="row" class="govuk-table__header">${reference}</th>`)) ?? '';

  describe('the inspection page', () => {
    it('shows the summary, the findings and each recommendation’s response, progress and RAG', async () => {
      const res = await clients.sm.get(page());
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/<title>Inspection [0-9a-f]+ - Recommendation Tracker<\/title>/);
      expect(res.text).toContain(world.organisation.name);
      expect(res.text).toMatch(/Test Inspectorate [0-9a-f]+/);
      expect(res.text).toContain('Inspection of Adult Offending Work');
      expect(res.text).toContain('1 March 2014');
      expect(res.text).toContain('href="https://example.org/reports/kent-2014"');
      const strengths = /data-qa="strengths">([\s\S]*?)<\/ul>/.exec(res.text)![1];
      const concerns = /data-qa="concerns">([\s\S]*?)<\/ul>/.exec(res.text)![1];
      expect(strengths).toContain('Most court reports were of high quality');
      expect(concerns).toContain('Risk of harm analysis was not consistent');
      expect(concerns).toContain(`<a class="govuk-link" href="/recommendations/${world.recommendation.id}">R1</a>`);

      const r1 = rowOf(res.text, 'R1');
      expect(r1).toContain(`href="/recommendations/${world.recommendation.id}">Improve the management`);
      expect(r1).toMatch(/data-qa="response">Agreed</);
      expect(r1).toContain('<progress max="100" value="50" aria-label="R1 progress">50%</progress>');
      expect(r1).toContain('50% complete');
      expect(r1).toContain('govuk-tag--red">1 red</strong>');
      expect(r1).toContain('govuk-tag--blue">1 complete</strong>');
      expect(r1).toContain('1 overdue');
      const refused = rowOf(res.text, 'R2');
      expect(refused).toMatch(/data-qa="response">Not agreed</);
      expect(refused).toContain('value="0"');
      expect(refused).toContain('No actions');
    });

    it.each([
      ['admin', true],
      ['pm', true],
      ['sm', false],
      ['viewer', false],
    ] as const)('shows a %s the plan links, and the import only to those who may import', async (who, imports) => {
      const res = await clients[who].get(page());
      expect(res.status).toBe(200);
      expect(res.text).toContain(`href="${page()}/action-plan" data-qa="printable">Printable action plan`);
      expect(res.text).toContain(`href="${page()}/action-plan.csv" download data-qa="download-csv">Download CSV`);
      expect(res.text).toContain(`href="${page()}/action-plan.xlsx" download data-qa="download-xlsx">Download XLSX`);
      expect(res.text.includes('Import recommendations from CSV')).toBe(imports);
    });

    it.each(['pmOther', 'smOther'] as const)('answers 404 to a %s for every page of the inspection', async (who) => {
      for (const path of ['', '/action-plan', '/action-plan.csv', '/action-plan.xlsx', '/import']) {
        const res = await clients[who].get(`${page()}${path}`);
        expect(res.status).toBe(404);
        expect(res.text).toContain('Page not found');
        expect(res.text).not.toContain('Improve the management');
      }
    });

    it('answers 404 for ids that are not inspections', async () => {
      expect((await clients.admin.get('/inspections/nope')).status).toBe(404);
      expect((await clients.admin.get('/inspections/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });
  });

  describe('the printable action plan', () => {
    it('shows every recommendation with its response and actions, with a print stylesheet', async () => {
      const res = await clients.viewer.get(`${page()}/action-plan`);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/<title>Action plan: Inspection [0-9a-f]+ - Recommendation Tracker<\/title>/);
      expect(res.text).toContain('<link rel="stylesheet" href="/assets/web/print.css" media="print">');
      const sections = res.text.split('data-qa="plan-recommendation"').slice(1);
      expect(sections).toHaveLength(2);
      const [first, second] = sections;
      expect(first).toContain('R1: Improve the management of risk of harm to others.');
      expect(first).toContain('Agreed');
      expect(first).toContain('In progress, 50% complete, 1 overdue');
      expect(first).toContain('Publish the &lt;risk&gt; guidance');
      expect(first).toContain('Sam Senior');
      expect(first).toContain('20 February 2026');
      expect(first).toContain('10 days overdue');
      expect(second).toContain('Not agreed');
      expect(second).toContain('Already checked in every case');
      expect(second).toContain('No actions: not agreed.');
    });

    it('serves the print stylesheet, which hides the page furniture and keeps a recommendation together', async () => {
      const res = await clients.viewer.get('/assets/web/print.css');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/css/);
      expect(res.text).toMatch(/\.govuk-header,[\s\S]*\.govuk-footer,[\s\S]*display: none/);
      expect(res.text).toMatch(/\.rt-plan-recommendation \{\s*break-inside: avoid;/);
    });
  });

  describe('the exports', () => {
    it('downloads the same CSV as the JSON API, as an attachment', async () => {
      const res = await clients.viewer.get(`${page()}/action-plan.csv`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="inspection-[0-9a-f]+-action-plan-2026-03-02\.csv"$/,
      );
      const [header, firstRow] = res.text.replace(/^\uFEFF/, '').split('\r\n');
      expect(header).toBe(
        'organisation,inspection,reference,text,theme,priority,source,targetDate,response,responseRationale,' +
          'recommendationStatus,actionTitle,actionDescription,actionOwnerName,actionOwnerEmail,actionDueDate,' +
          'actionOriginalDueDate,actionStatus,actionProgress,actionRag,actionDaysOverdue,latestUpdateAt,' +
          'latestUpdateBy,latestUpdateComment',
      );
      expect(firstRow).toContain(',R1,Improve the management of risk of harm to others.,risk_of_harm,high,');

      const token = await api.tokenFor(u.viewer);
      const fromApi = await api
        .http()
        .get(`/api/v1/inspections/${world.inspection.id}/action-plan.csv`)
        .set('Authorization', `Bearer ${token}`);
      expect(res.text).toBe(fromApi.text);
      expect(res.headers['content-disposition']).toBe(fromApi.headers['content-disposition']);
    });

    it('downloads the workbook, with the CSV’s columns and rows', async () => {
      const res = await clients.sm
        .get(`${page()}/action-plan.xlsx`)
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="inspection-[0-9a-f]+-action-plan-2026-03-02\.xlsx"$/,
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.body);
      const sheet = workbook.getWorksheet('Action plan')!;
      expect(sheet.getRow(1).getCell(1).value).toBe('organisation');
      expect(sheet.getRow(1).getCell(3).value).toBe('reference');
      expect(sheet.getRow(2).getCell(3).value).toBe('R1');
      expect(sheet.rowCount).toBe(4); // the header, R1's two actions, R2 without any
    });
  });

  describe('the import', () => {
    const importPath = () => `${page()}/import`;
    const references = async () =>
      (
        await api.pool.query('SELECT reference FROM recommendations WHERE inspection_id = $1 ORDER BY ordinal', [
          world.inspection.id,
        ])
      ).rows.map((r) => r.reference);
    const upload = async (who: Who, csv: string | Buffer, filename = 'recommendations.csv', withToken = true) => {
      const form = await clients[who].get(page());
      const request = clients[who].agent.post(importPath());
      if (withToken) request.field('_csrf', csrfOf(form.text));
      return request.attach('file', Buffer.from(csv), { filename, contentType: 'text/csv' });
    };

    it('explains the file, with the importer’s own header row in the hint, and offers a template', async () => {
      const res = await clients.pm.get(importPath());
      expect(res.status).toBe(200);
      expect(res.text).toContain('<title>Import recommendations - Inspection ');
      expect(res.text).toContain('enctype="multipart/form-data"');
      const hint = /<div id="file-hint" class="govuk-hint">([\s\S]*?)<\/div>/.exec(res.text)![1];
      expect(hint.replace(/<wbr>/g, '')).toContain(
        'reference,text,theme,priority,targetDate,source,response,responseRationale,actionTitle,' +
          'actionDescription,actionOwnerEmail,actionDueDate',
      );
      expect(hint).toContain('1 MB');
      const template = await clients.pm.get(`${importPath()}/template.csv`);
      expect(template.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(template.headers['content-disposition']).toBe(
        'attachment; filename="recommendations-import-template.csv"',
      );
      expect(template.text.replace(/^\uFEFF/, '').trim()).toBe(
        'reference,text,theme,priority,targetDate,source,response,responseRationale,actionTitle,' +
          'actionDescription,actionOwnerEmail,actionDueDate',
      );
    });

    it('imports the file and says how many recommendations it brought in', async () => {
      const csv =
        'reference,text,theme,priority,response\r\n' +
        'R10,Check with children’s social care,protecting_children,high,Agreed\r\n' +
        'R11,Make home visits in high risk cases,risk_of_harm,medium,\r\n';
      const res = await upload('pm', csv);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<title>Recommendations imported - Inspection ');
      expect(res.text).toContain('2 recommendations imported');
      expect(res.text).toContain(`href="${page()}" data-qa="back-to-inspection"`);
      expect(await references()).toEqual(['R1', 'R2', 'R10', 'R11']);
      const inspection = await clients.pm.get(page());
      expect(rowOf(inspection.text, 'R10')).toMatch(/data-qa="response">Agreed</);
      expect(rowOf(inspection.text, 'R11')).toMatch(/data-qa="response">Awaiting response</);

      const again = await upload('pm', csv);
      expect(again.text).toContain('0 recommendations imported');
      expect(again.text).toContain('2 recommendations already in the inspection left as before.');
      expect(await references()).toHaveLength(4);
    });

    it('lists every bad row in the error summary and imports nothing', async () => {
      const csv =
        'reference,text,theme,priority\n' +
        'R20,A good one,risk_of_harm,high\n' +
        'R21,A bad theme,weather,high\n' +
        'R22,,courts_and_victims,urgent\n';
      const before = await references();
      const res = await upload('admin', csv);
      expect(res.status).toBe(400);
      expect(res.text).toContain('<title>Error: Import recommendations');
      expect(res.text).toContain('govuk-error-summary');
      expect(res.text).toMatch(/<a href="#file">Row 3: theme must be one of: risk_of_harm, likelihood_of_reoffending/);
      expect(res.text).toContain('<a href="#file">Row 4: text must not be blank</a>');
      expect(res.text).toMatch(/<a href="#file">Row 4: priority must be one of/);
      expect(res.text).toContain('The file has 3 problems: nothing was imported.');
      expect(await references()).toEqual(before);
    });

    it.each([
      ['no file', '', '', 'Select a CSV file'],
      ['a file that is not a CSV', 'reference,text,theme,priority\n', 'plan.xlsx', 'The selected file must be a CSV'],
      ['a file over 1 MB', `reference,text,theme,priority\n${'x'.repeat(1024 * 1024)}`, 'big.csv', 'smaller than 1 MB'],
    ])('refuses %s with a clear message, importing nothing', async (_, csv, filename, message) => {
      const before = await references();
      const res = await upload('pm', csv, filename);
      expect(res.status).toBe(400);
      expect(res.text).toContain('<a href="#file">');
      expect(res.text).toContain(message);
      expect(res.text).toContain('govuk-file-upload--error');
      expect(await references()).toEqual(before);
    });

    it('keeps the CSRF check for the upload', async () => {
      const res = await upload('pm', 'reference,text,theme,priority\nR30,X,risk_of_harm,high\n', 'r.csv', false);
      expect(res.status).toBe(403);
      expect(res.text).toContain('The form has expired');
      expect(await references()).not.toContain('R30');
    });

    it('shows the service’s refusal when a performance manager’s file adds actions', async () => {
      const csv = 'reference,text,theme,priority,actionTitle,actionDueDate\nR40,X,risk_of_harm,high,Do it,2026-05-01\n';
      const res = await upload('pm', csv);
      expect(res.status).toBe(403);
      expect(res.text).toContain('Your role can import recommendations but not add actions');
      expect(await references()).not.toContain('R40');
    });

    it('imports actions with their owners for an admin', async () => {
      const csv =
        'reference,text,theme,priority,actionTitle,actionOwnerEmail,actionDueDate\n' +
        `R50,Consult partner agencies,risk_of_harm,high,Agree a checklist,${world.manager.email},30/04/2026\n`;
      const res = await upload('admin', csv);
      expect(res.status).toBe(200);
      expect(res.text).toContain('1 recommendation imported');
      expect(res.text).toContain('1 action added.');
      const { rows } = await api.pool.query(
        `SELECT a.title, a.owner_id, a.due_date FROM actions a JOIN recommendations r ON r.id = a.recommendation_id
         WHERE r.inspection_id = $1 AND r.reference = 'R50'`,
        [world.inspection.id],
      );
      expect(rows).toEqual([{ title: 'Agree a checklist', owner_id: world.manager.id, due_date: '2026-04-30' }]);
    });

    it.each(['sm', 'viewer', 'pmOther'] as const)('is the 404 page for a %s, and imports nothing', async (who) => {
      expect((await clients[who].get(importPath())).status).toBe(404);
      const form = await clients[who].get('/');
      const res = await clients[who].agent
        .post(importPath())
        .field('_csrf', csrfOf(form.text))
        .attach('file', Buffer.from('reference,text,theme,priority\nR60,X,risk_of_harm,high\n'), 'r.csv');
      expect(res.status).toBe(404);
      expect(await references()).not.toContain('R60');
    });

    it('leaves the JSON API refusing multipart bodies with 415', async () => {
      const token = await api.tokenFor(u.admin);
      for (const path of [
        '/api/v1/organisations',
        `/api/v1/inspections/${world.inspection.id}/recommendations/import`,
      ]) {
        const res = await api
          .http()
          .post(path)
          .set('Authorization', `Bearer ${token}`)
          .attach('file', Buffer.from('reference,text,theme,priority\nR70,X,risk_of_harm,high\n'), 'r.csv');
        expect(res.status).toBe(415);
      }
      expect(await references()).not.toContain('R70');
    });
  });
});
