import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { ApiHarness, startApi } from './api-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;

const TODAY = '2026-03-02';
const HEADER = 'reference,text,theme,priority,targetDate,actionTitle,actionOwnerEmail,actionDueDate';

/** Column values that an import reads: what a round trip must keep. */
const PLAN_COLUMNS = [
  'reference',
  'text',
  'theme',
  'priority',
  'source',
  'targetDate',
  'response',
  'responseRationale',
  'actionTitle',
  'actionDescription',
  'actionOwnerEmail',
  'actionDueDate',
];

describe('recommendation import and action-plan export', () => {
  let api: ApiHarness;
  let w: World;
  let other: World;
  const t = {} as Record<'admin' | 'pm' | 'pmOther' | 'sm' | 'viewer' | 'smOther', string>;
  const as = (who: keyof typeof t) => ({ Authorization: `Bearer ${t[who]}` });

  beforeAll(async () => {
    api = await startApi({ today: TODAY });
    w = await api.factories.world({ dueDate: '2026-03-10' });
    other = await api.factories.world();
    t.admin = await api.tokenFor(await api.factories.user({ role: 'admin' }));
    t.pm = await api.tokenFor(
      await api.factories.user({ role: 'performance_manager', portfolio: [w.organisation.id] }),
    );
    t.pmOther = await api.tokenFor(
      await api.factories.user({ role: 'performance_manager', portfolio: [other.organisation.id] }),
    );
    t.sm = await api.tokenFor(w.manager);
    t.viewer = await api.tokenFor(w.viewer);
    t.smOther = await api.tokenFor(other.manager);
  });
  afterAll(() => api.close());

  const newInspection = () =>
    api.factories.inspection({ organisationId: w.organisation.id, inspectorateId: w.inspectorate.id });

  const importCsv = (who: keyof typeof t, inspectionId: string, body: string | Buffer, query = '') =>
    api
      .http()
      .post(`/api/v1/inspections/${inspectionId}/recommendations/import${query}`)
      .set(as(who))
      .set('Content-Type', 'text/csv')
      .send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);

  const counts = async (inspectionId: string) => {
    const { rows } = await api.pool.query(
      `SELECT (SELECT count(*)::int FROM recommendations WHERE inspection_id = $1) AS recommendations,
         (SELECT count(*)::int FROM actions WHERE inspection_id = $1) AS actions,
         (SELECT count(*)::int FROM outbox) AS outbox`,
      [inspectionId],
    );
    return rows[0] as { recommendations: number; actions: number; outbox: number };
  };

  /** A download, its body as the bytes sent. */
  const download = (path: string, who: keyof typeof t = 'admin') =>
    api
      .http()
      .get(path)
      .set(as(who))
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
  const exportCsv = download;
  const csvRecords = (text: string) => parse(text, { bom: true, columns: true }) as Record<string, string>[];
  const unescape = (v: string) => (/^'+[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

  describe('POST /inspections/{id}/recommendations/import', () => {
    it('reports every problem of a bad file by row and column, and imports nothing', async () => {
      const inspection = await newInspection();
      const before = await counts(inspection.id);
      const res = await importCsv(
        'admin',
        inspection.id,
        `${HEADER},response,responseRationale\n` +
          `R1,Fine recommendation,risk_of_harm,high,,Fine action,${w.manager.email},2026-06-30,,\n` +
          `R2,Bad priority,risk_of_harm,urgent,2026-02-30,,,,,\n` +
          `R3,Owner elsewhere,risk_of_harm,high,,Train staff,${other.manager.email},2026-06-30,,\n` +
          `R4,Refused without reason,courts_and_victims,low,,,,,not_accepted,\n` +
          `R5,Missing due date,risk_of_harm,high,,An action,,,,\n`,
      );
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 422, type: '/problems/validation', detail: expect.any(String) });
      expect(res.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
        [3, 'priority'],
        [3, 'targetDate'],
        [4, 'actionOwnerEmail'],
        [5, 'responseRationale'],
        [6, 'actionDueDate'],
      ]);
      for (const e of res.body.errors)
        expect(e).toEqual({ row: e.row, column: e.column, field: e.column, message: expect.any(String) });
      expect(await counts(inspection.id)).toEqual(before);
    });

    it('imports a file with a BOM, CRLF and quoted fields through the same rules, history and events as the API', async () => {
      const inspection = await newInspection();
      const before = await counts(inspection.id);
      const csv =
        `\uFEFF${HEADER}\r\n` +
        `R1,"Improve the management of risk of harm to others, ""urgently"",\r\nacross the Trust",risk_of_harm,high,2026-09-30,"Train staff, all of them",${w.manager.email},2026-05-29\r\n` +
        `R1,,,,,Audit risk management plans,,2026-06-30\r\n` +
        `R2,Make routine checks with children's social care services.,Protecting children and young people,Medium,,,,\r\n`;
      const res = await importCsv('admin', inspection.id, csv).expect(201);
      expect(res.body).toMatchObject({
        dryRun: false,
        recommendations: { created: 2, unchanged: 0 },
        actions: { created: 2, unchanged: 0 },
      });
      const list = await api
        .http()
        .get(`/api/v1/inspections/${inspection.id}/recommendations`)
        .set(as('admin'))
        .expect(200);
      expect(list.body.items).toMatchObject([
        {
          reference: 'R1',
          text: 'Improve the management of risk of harm to others, "urgently",\r\nacross the Trust',
          theme: 'risk_of_harm',
          targetDate: '2026-09-30',
          progress: { total: 2 },
        },
        { reference: 'R2', theme: 'protecting_children', priority: 'medium', progress: { total: 0 } },
      ]);
      const actions = await api.pool.query(
        `SELECT a.title, a.owner_id, a.due_date::text, (SELECT count(*)::int FROM action_updates u WHERE u.action_id = a.id AND u.kind = 'created') AS history
         FROM actions a WHERE a.inspection_id = $1 ORDER BY a.due_date`,
        [inspection.id],
      );
      expect(actions.rows).toEqual([
        { title: 'Train staff, all of them', owner_id: w.manager.id, due_date: '2026-05-29', history: 1 },
        { title: 'Audit risk management plans', owner_id: null, due_date: '2026-06-30', history: 1 },
      ]);
      const events = await api.pool.query(
        `SELECT event_type, count(*)::int AS n FROM outbox WHERE payload->>'inspectionId' = $1 GROUP BY 1 ORDER BY 1`,
        [inspection.id],
      );
      expect(events.rows).toEqual([
        { event_type: 'action-created', n: 2 },
        { event_type: 'recommendation-created', n: 2 },
      ]);
      expect((await counts(inspection.id)).outbox).toBe(before.outbox + 4);

      // The same file again adds nothing.
      const again = await importCsv('admin', inspection.id, csv).expect(201);
      expect(again.body).toMatchObject({
        recommendations: { created: 0, unchanged: 2 },
        actions: { created: 0, unchanged: 2 },
      });
      expect(await counts(inspection.id)).toMatchObject({ recommendations: 2, actions: 2, outbox: before.outbox + 4 });
    });

    it('answers what would be imported on a dry run and changes nothing', async () => {
      const inspection = await newInspection();
      const res = await importCsv(
        'admin',
        inspection.id,
        `${HEADER}\nR1,Text,risk_of_harm,high,,Do it,,2026-06-30\n`,
        '?dryRun=true',
      ).expect(200);
      expect(res.body).toMatchObject({ dryRun: true, recommendations: { created: 1 }, actions: { created: 1 } });
      expect(await counts(inspection.id)).toMatchObject({ recommendations: 0, actions: 0 });
    });

    it('follows the access rules of creating recommendations and actions', async () => {
      const inspection = await newInspection();
      const recsOnly = `${HEADER}\nR1,Text,risk_of_harm,high,,,,\n`;
      const withAction = `${HEADER}\nR2,Text,risk_of_harm,high,,Do it,,2026-06-30\n`;
      await importCsv('viewer', inspection.id, recsOnly).expect(403);
      await importCsv('sm', inspection.id, recsOnly).expect(403);
      await importCsv('pmOther', inspection.id, recsOnly).expect(404);
      await importCsv('smOther', inspection.id, recsOnly).expect(403);
      await importCsv('admin', '00000000-0000-4000-8000-000000000000', recsOnly).expect(404);
      // Performance managers import recommendations; adding actions is for the organisation's senior managers.
      await importCsv('pm', inspection.id, withAction).expect(403);
      expect(await counts(inspection.id)).toMatchObject({ recommendations: 0 });
      await importCsv('pm', inspection.id, recsOnly).expect(201);
      expect(await counts(inspection.id)).toMatchObject({ recommendations: 1, actions: 0 });
    });

    it('takes only text/csv, and offers a template', async () => {
      const json = await api
        .http()
        .post(`/api/v1/inspections/${w.inspection.id}/recommendations/import`)
        .set(as('admin'))
        .send({ reference: 'R1' })
        .expect(415);
      expect(json.body.detail).toMatch(/text\/csv/);
      const template = await api.http().get('/api/v1/recommendations/import-template.csv').set(as('pm')).expect(200);
      expect(template.headers['content-type']).toMatch(/^text\/csv/);
      expect(template.headers['content-disposition']).toBe(
        'attachment; filename="recommendations-import-template.csv"',
      );
      expect(csvRecords(template.text)).toEqual([]);
      expect(parse(template.text, { bom: true })[0]).toEqual(expect.arrayContaining(['reference', 'actionOwnerEmail']));
    });
  });

  it('documents the file routes in the OpenAPI document', async () => {
    const { body: document } = await api.http().get('/api/openapi.json').expect(200);
    const importOp = document.paths['/api/v1/inspections/{id}/recommendations/import'].post;
    expect(Object.keys(importOp.requestBody.content)).toEqual(['text/csv']);
    expect(Object.keys(importOp.responses)).toEqual(expect.arrayContaining(['201', '401', '403', '404', '422']));
    expect(
      Object.keys(document.paths['/api/v1/inspections/{id}/action-plan.csv'].get.responses['200'].content),
    ).toEqual(['text/csv']);
    expect(Object.keys(document.paths['/api/v1/snapshots/{id}/action-plan.xlsx'].get.responses['200'].content)).toEqual(
      ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    );
  });

  describe('exports', () => {
    let source: { id: string };

    beforeAll(async () => {
      source = await newInspection();
      const csv =
        `${HEADER},response,responseRationale,actionDescription\n` +
        `R1,"=HYPERLINK(""http://evil.example"")",risk_of_harm,high,2026-09-30,- train staff,${w.manager.email},2026-03-01,accepted,,"@mention, with comma"\n` +
        `R1,,,,,Audit plans,${w.manager.email},2026-04-30,,,\n` +
        `R2,Partly agreed one,sentence_delivery,low,,Review,,2026-05-01,partially_accepted,Budget,\n` +
        `R3,Not agreed one,courts_and_victims,medium,,,,,not_accepted,"Outside our remit,\nsays the board",\n`;
      await importCsv('admin', source.id, csv).expect(201);
    });

    it('exports an inspection as CSV that re-imports into another inspection as the same plan', async () => {
      const res = await exportCsv(`/api/v1/inspections/${source.id}/action-plan.csv`);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="[a-z0-9-]+-action-plan-2026-03-02\.csv"$/,
      );
      const text = res.body.toString('utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
      expect(text).toContain(`'- train staff`);
      const rows = csvRecords(text);
      expect(rows).toHaveLength(4);
      expect(rows[0]).toMatchObject({
        reference: 'R1',
        actionTitle: `'- train staff`,
        actionOwnerEmail: w.manager.email,
        actionStatus: 'not_started',
        actionRag: 'red',
        actionDaysOverdue: '1',
        latestUpdateComment: '',
      });

      const target = await newInspection();
      const imported = await importCsv('admin', target.id, res.body).expect(201);
      expect(imported.body).toMatchObject({ recommendations: { created: 3 }, actions: { created: 3 } });
      const back = csvRecords(
        (await exportCsv(`/api/v1/inspections/${target.id}/action-plan.csv`)).body.toString('utf8'),
      );
      const plan = (r: Record<string, string>[]) => r.map((row) => PLAN_COLUMNS.map((c) => row[c]));
      expect(plan(back)).toEqual(plan(rows));
    });

    it('exports the same rows as a workbook', async () => {
      const csv = csvRecords(
        (await exportCsv(`/api/v1/inspections/${source.id}/action-plan.csv`)).body.toString('utf8'),
      );
      const res = await download(`/api/v1/inspections/${source.id}/action-plan.xlsx`);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".+\.xlsx"$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.body);
      const sheet = workbook.getWorksheet('Action plan')!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
      const rows: Record<string, string>[] = [];
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        const values = row.values as unknown[];
        rows.push(
          Object.fromEntries(
            header.map((h, i) => {
              const v = values[i + 1];
              return [
                h,
                v === undefined || v === null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v),
              ];
            }),
          ),
        );
      });
      expect(rows).toEqual(csv.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, unescape(v)]))));
      expect(rows[0].text).toBe('=HYPERLINK("http://evil.example")');
    });

    it('exports an organisation, within scope', async () => {
      const res = await exportCsv(`/api/v1/organisations/${w.organisation.id}/action-plan.csv`, 'pm');
      const rows = csvRecords(res.body.toString('utf8'));
      expect(new Set(rows.map((r) => r.organisation))).toEqual(new Set([w.organisation.name]));
      expect(rows.some((r) => r.reference === 'R3' && r.actionTitle === '')).toBe(true);
      await api.http().get(`/api/v1/organisations/${w.organisation.id}/action-plan.csv`).set(as('smOther')).expect(404);
      await api
        .http()
        .get(`/api/v1/organisations/${w.organisation.id}/action-plan.xlsx`)
        .set(as('pmOther'))
        .expect(404);
      await api.http().get(`/api/v1/inspections/${source.id}/action-plan.csv`).set(as('smOther')).expect(404);
      await api.http().get(`/api/v1/inspections/${source.id}/action-plan.csv`).set(as('viewer')).expect(200);
    });

    it('exports a snapshot as it was frozen, within scope', async () => {
      const snapshot = await api
        .http()
        .post('/api/v1/snapshots')
        .set(as('pm'))
        .send({ name: 'Board, March' })
        .expect(201);
      // After the snapshot: the first action of the world is started.
      const current = await api.http().get(`/api/v1/actions/${w.action.id}`).set(as('sm')).expect(200);
      await api
        .http()
        .patch(`/api/v1/actions/${w.action.id}`)
        .set(as('sm'))
        .set('If-Match', current.headers.etag)
        .send({ status: 'in_progress', progress: 60, comment: 'Under way' })
        .expect(200);

      const res = await exportCsv(`/api/v1/snapshots/${snapshot.body.id}/action-plan.csv`, 'sm');
      expect(res.headers['content-disposition']).toBe('attachment; filename="board-march-action-plan-2026-03-02.csv"');
      const rows = csvRecords(res.body.toString('utf8'));
      expect(new Set(rows.map((r) => r.organisation))).toEqual(new Set([w.organisation.name]));
      const frozen = rows.find(
        (r) =>
          r.actionTitle !== '' &&
          r.inspection !== '' &&
          r.actionStatus === 'not_started' &&
          r.actionDueDate === '2026-03-10',
      );
      expect(frozen).toMatchObject({ actionProgress: '0', actionRag: 'amber', latestUpdateComment: '' });
      const live = csvRecords(
        (await exportCsv(`/api/v1/organisations/${w.organisation.id}/action-plan.csv`)).body.toString('utf8'),
      );
      expect(live.find((r) => r.actionDueDate === '2026-03-10')).toMatchObject({
        actionStatus: 'in_progress',
        actionProgress: '60',
        latestUpdateComment: 'Under way',
      });

      const others = csvRecords(
        (await exportCsv(`/api/v1/snapshots/${snapshot.body.id}/action-plan.csv`, 'smOther')).body.toString('utf8'),
      );
      expect(new Set(others.map((r) => r.organisation))).toEqual(new Set([other.organisation.name]));
      await api.http().get(`/api/v1/snapshots/${snapshot.body.id}/action-plan.xlsx`).set(as('viewer')).expect(200);
      await api
        .http()
        .get('/api/v1/snapshots/00000000-0000-4000-8000-000000000000/action-plan.csv')
        .set(as('pm'))
        .expect(404);
    });

    it('answers the action plan of an inspection as JSON', async () => {
      const res = await api.http().get(`/api/v1/inspections/${source.id}/action-plan`).set(as('viewer')).expect(200);
      expect(res.body).toMatchObject({
        inspection: {
          id: source.id,
          organisation: { id: w.organisation.id, name: w.organisation.name },
          inspectorate: { id: w.inspectorate.id },
          publishedOn: '2014-03-01',
        },
        asOfDate: TODAY,
      });
      const [r1, r2, r3] = res.body.recommendations;
      expect(r1).toMatchObject({
        reference: 'R1',
        theme: 'risk_of_harm',
        themeName: 'Risk of harm to others',
        response: 'accepted',
        responseWording: 'Agreed',
        targetDate: '2026-09-30',
        status: 'not_started',
        progress: { total: 2, overdue: 1, percentComplete: 0 },
      });
      expect(r1.actions).toEqual([
        expect.objectContaining({
          title: '- train staff',
          description: '@mention, with comma',
          owner: { id: w.manager.id, name: expect.any(String), email: w.manager.email },
          dueDate: '2026-03-01',
          originalDueDate: '2026-03-01',
          status: 'not_started',
          rag: 'red',
          overdue: true,
          daysOverdue: 1,
          latestUpdate: expect.objectContaining({ at: expect.any(String), comment: null }),
        }),
        expect.objectContaining({ title: 'Audit plans', rag: 'green' }),
      ]);
      expect(r2).toMatchObject({ responseWording: 'Partly agreed', responseRationale: 'Budget' });
      expect(r3).toMatchObject({
        responseWording: 'Not agreed',
        responseRationale: 'Outside our remit,\nsays the board',
        status: 'not_accepted',
        actions: [],
      });
      await api.http().get(`/api/v1/inspections/${source.id}/action-plan`).set(as('pmOther')).expect(404);
    });
  });
});
