import { Response } from 'supertest';
import { ApiHarness, startApi } from './api-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;

describe('inspections API', () => {
  let api: ApiHarness;
  let admin: { id: string; email: string };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    admin = await api.factories.user({ role: 'admin' });
  });
  afterAll(() => api.close());

  const as = async (user: { email: string }) => ({ Authorization: `Bearer ${await api.tokenFor(user)}` });
  const count = async (sql: string, params: unknown[]) =>
    Number((await api.pool.query(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0].n);

  const newInspection = (world: World, overrides: Record<string, unknown> = {}) => ({
    organisationId: world.organisation.id,
    inspectorateId: world.inspectorate.id,
    title: 'Inspection of Adult Offending Work: Kent Probation Trust',
    programme: 'Inspection of Adult Offending Work',
    publishedOn: '2014-03-01',
    publishedOnApproximate: true,
    reportUrl: 'https://www.justiceinspectorates.gov.uk/probation/kent-2014',
    ...overrides,
  });

  describe('POST /api/v1/inspections', () => {
    it('records an inspection for an admin, answering 201 with the names and an ETag', async () => {
      const world = await api.factories.world();
      const res = await api
        .http()
        .post('/api/v1/inspections')
        .set(await as(admin))
        .send(newInspection(world))
        .expect(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        organisationId: world.organisation.id,
        organisationName: world.organisation.name,
        inspectorateId: world.inspectorate.id,
        inspectorateName: world.inspectorate.name,
        title: 'Inspection of Adult Offending Work: Kent Probation Trust',
        programme: 'Inspection of Adult Offending Work',
        publishedOn: '2014-03-01',
        publishedOnApproximate: true,
        reportUrl: 'https://www.justiceinspectorates.gov.uk/probation/kent-2014',
        version: 1,
      });

      const read = await api
        .http()
        .get(`/api/v1/inspections/${res.body.id}`)
        .set(await as(world.manager))
        .expect(200);
      expect(read.headers.etag).toBe('"1"');
      expect(read.body).toEqual(res.body);
    });

    it('lets a performance manager record one for an organisation in their portfolio only', async () => {
      const world = await api.factories.world();
      const other = await api.factories.world();
      const pm = await api.factories.user({ role: 'performance_manager', portfolio: [world.organisation.id] });

      await api
        .http()
        .post('/api/v1/inspections')
        .set(await as(pm))
        .send(newInspection(world))
        .expect(201);

      const before = await count(`inspections WHERE organisation_id = $1`, [other.organisation.id]);
      const refused = await api
        .http()
        .post('/api/v1/inspections')
        .set(await as(pm))
        .send(newInspection(other))
        .expect(422);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.errors).toEqual([{ field: 'organisationId', message: expect.any(String) }]);
      expect(await count(`inspections WHERE organisation_id = $1`, [other.organisation.id])).toBe(before);
    });

    it('refuses senior managers and viewers with 403', async () => {
      const world = await api.factories.world();
      for (const user of [world.manager, world.viewer]) {
        const res = await api
          .http()
          .post('/api/v1/inspections')
          .set(await as(user))
          .send(newInspection(world))
          .expect(403);
        expect(res.body).toMatchObject({ status: 403, title: 'Forbidden' });
      }
      expect(await count(`inspections WHERE organisation_id = $1`, [world.organisation.id])).toBe(1);
    });

    it('needs an inspectorate as inspectorateId (422 naming it)', async () => {
      const world = await api.factories.world();
      const oversight = await api.factories.organisation({ kind: 'oversight', region: 'national' });
      for (const inspectorateId of [world.organisation.id, oversight.id, '6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f']) {
        const res = await api
          .http()
          .post('/api/v1/inspections')
          .set(await as(admin))
          .send(newInspection(world, { inspectorateId }))
          .expect(422);
        expect(res.body.errors).toEqual([{ field: 'inspectorateId', message: expect.any(String) }]);
      }
      expect(await count(`inspections WHERE organisation_id = $1`, [world.organisation.id])).toBe(1);
    });

    it('refuses an inspectorate as the inspected organisation', async () => {
      const world = await api.factories.world();
      const res = await api
        .http()
        .post('/api/v1/inspections')
        .set(await as(admin))
        .send(newInspection(world, { organisationId: world.inspectorate.id }))
        .expect(422);
      expect(res.body.errors).toEqual([{ field: 'organisationId', message: expect.any(String) }]);
    });

    it('answers 400 naming each bad field, and stores nothing', async () => {
      const world = await api.factories.world();
      const res = await api
        .http()
        .post('/api/v1/inspections')
        .set(await as(admin))
        .send({
          organisationId: 'not-a-uuid',
          inspectorateId: world.inspectorate.id,
          title: '   ',
          publishedOn: '2014-02-30',
          reportUrl: 'javascript:alert(1)',
          colour: 'blue',
        })
        .expect(400);
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      expect(new Set(fields)).toEqual(new Set(['organisationId', 'title', 'publishedOn', 'reportUrl', 'colour']));
      expect(await count(`inspections WHERE organisation_id = $1`, [world.organisation.id])).toBe(1);
    });
  });

  describe('GET /api/v1/inspections', () => {
    it('lists newest first, paging with nextCursor, and shows each role only what it may see', async () => {
      const world = await api.factories.world();
      const other = await api.factories.world();
      const dates = ['2013-06-01', '2014-03-01', '2012-11-20', '2014-03-01', '2015-01-15'];
      const made = [world.inspection.id];
      for (const publishedOn of dates) {
        made.push(
          (
            await api.factories.inspection({
              organisationId: world.organisation.id,
              inspectorateId: world.inspectorate.id,
              publishedOn,
            })
          ).id,
        );
      }
      const { rows } = await api.pool.query(
        `SELECT id, to_char(published_on, 'YYYY-MM-DD') AS published_on FROM inspections WHERE id = ANY($1::uuid[])
         ORDER BY published_on DESC, id DESC`,
        [made],
      );
      const expected = rows.map((r: { id: string }) => r.id);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Response = await api
          .http()
          .get('/api/v1/inspections')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(await as(world.manager))
          .expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        for (const item of res.body.items) expect(item.organisationId).toBe(world.organisation.id);
        seen.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(expected);
      expect(pages).toBe(3);

      const publishedOn = (
        await api
          .http()
          .get('/api/v1/inspections')
          .set(await as(world.manager))
      ).body.items.map((i: { publishedOn: string }) => i.publishedOn);
      expect(publishedOn).toEqual([...publishedOn].sort().reverse());

      const filtered = await api
        .http()
        .get('/api/v1/inspections')
        .query({ organisationId: other.organisation.id })
        .set(await as(admin))
        .expect(200);
      expect(filtered.body.items.map((i: { id: string }) => i.id)).toEqual([other.inspection.id]);

      const outOfScope = await api
        .http()
        .get('/api/v1/inspections')
        .query({ organisationId: other.organisation.id })
        .set(await as(world.manager))
        .expect(200);
      expect(outOfScope.body).toEqual({ items: [], nextCursor: null });
    });

    it('refuses a tampered cursor and a limit over 200, naming the parameter', async () => {
      const world = await api.factories.world();
      const headers = await as(world.manager);
      const tampered = [
        'not-a-cursor',
        Buffer.from(JSON.stringify(['2014-13-45', world.inspection.id])).toString('base64url'),
        Buffer.from(JSON.stringify(['2014-03-01', 'not-a-uuid'])).toString('base64url'),
        Buffer.from(JSON.stringify([3])).toString('base64url'),
      ];
      for (const cursor of tampered) {
        const res = await api.http().get('/api/v1/inspections').query({ cursor }).set(headers);
        expect([400, 422]).toContain(res.status);
        expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      }
      const tooMany = await api.http().get('/api/v1/inspections').query({ limit: 201 }).set(headers).expect(400);
      expect(tooMany.body.errors.map((e: { field: string }) => e.field)).toEqual(['limit']);
    });
  });

  describe('GET /api/v1/inspections/{id}', () => {
    it('answers 404 for an inspection of another organisation, and for an unknown id', async () => {
      const world = await api.factories.world();
      const other = await api.factories.world();
      const pm = await api.factories.user({ role: 'performance_manager', portfolio: [world.organisation.id] });
      for (const user of [world.manager, world.viewer, pm]) {
        await api
          .http()
          .get(`/api/v1/inspections/${other.inspection.id}`)
          .set(await as(user))
          .expect(404);
      }
      await api
        .http()
        .get('/api/v1/inspections/0b5c1e8a-9d2f-4e3a-8b7c-6d5e4f3a2b1c')
        .set(await as(admin))
        .expect(404);
      const malformed = await api
        .http()
        .get('/api/v1/inspections/42')
        .set(await as(admin))
        .expect(400);
      expect(malformed.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
    });
  });

  describe('PATCH /api/v1/inspections/{id}', () => {
    it('needs If-Match: 428 when missing, 412 when stale, and neither changes anything', async () => {
      const world = await api.factories.world();
      const url = `/api/v1/inspections/${world.inspection.id}`;
      const before = (
        await api
          .http()
          .get(url)
          .set(await as(admin))
      ).body;

      const missing = await api
        .http()
        .patch(url)
        .set(await as(admin))
        .send({ title: 'Changed' })
        .expect(428);
      expect(missing.body).toMatchObject({ status: 428 });
      const stale = await api
        .http()
        .patch(url)
        .set(await as(admin))
        .set('If-Match', '"7"')
        .send({ title: 'Changed' })
        .expect(412);
      expect(stale.body).toMatchObject({ status: 412 });

      const after = await api
        .http()
        .get(url)
        .set(await as(admin))
        .expect(200);
      expect(after.body).toEqual(before);
    });

    it('changes the fields sent, bumping the version and ETag, then refuses the old ETag', async () => {
      const world = await api.factories.world();
      const inspectorate = await api.factories.inspectorate();
      const pm = await api.factories.user({ role: 'performance_manager', portfolio: [world.organisation.id] });
      const url = `/api/v1/inspections/${world.inspection.id}`;
      const res = await api
        .http()
        .patch(url)
        .set(await as(pm))
        .set('If-Match', '"1"')
        .send({ title: 'Kent: Inspection of Adult Offending Work', inspectorateId: inspectorate.id, reportUrl: null })
        .expect(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({
        title: 'Kent: Inspection of Adult Offending Work',
        inspectorateId: inspectorate.id,
        inspectorateName: inspectorate.name,
        programme: 'Inspection of Adult Offending Work',
        publishedOn: '2014-03-01',
        reportUrl: null,
        version: 2,
      });

      await api
        .http()
        .patch(url)
        .set(await as(pm))
        .set('If-Match', '"1"')
        .send({ title: 'Lost update' })
        .expect(412);
      const read = await api
        .http()
        .get(url)
        .set(await as(world.viewer))
        .expect(200);
      expect(read.body.title).toBe('Kent: Inspection of Adult Offending Work');
    });

    it('answers 403 to senior managers and 404 to performance managers outside their portfolio', async () => {
      const world = await api.factories.world();
      const pm = await api.factories.user({ role: 'performance_manager', portfolio: [] });
      const url = `/api/v1/inspections/${world.inspection.id}`;
      await api
        .http()
        .patch(url)
        .set(await as(world.manager))
        .set('If-Match', '"1"')
        .send({ title: 'Mine now' })
        .expect(403);
      await api
        .http()
        .patch(url)
        .set(await as(pm))
        .set('If-Match', '"1"')
        .send({ title: 'Mine now' })
        .expect(404);
      const { rows } = await api.pool.query(`SELECT title, version FROM inspections WHERE id = $1`, [
        world.inspection.id,
      ]);
      expect(rows[0].version).toBe(1);
      expect(rows[0].title).not.toBe('Mine now');
    });

    it('refuses a non-inspectorate as inspectorateId, and moving an inspection that has recommendations', async () => {
      const world = await api.factories.world();
      const other = await api.factories.organisation();
      const url = `/api/v1/inspections/${world.inspection.id}`;
      const bad = await api
        .http()
        .patch(url)
        .set(await as(admin))
        .set('If-Match', '"1"')
        .send({ inspectorateId: other.id })
        .expect(422);
      expect(bad.body.errors).toEqual([{ field: 'inspectorateId', message: expect.any(String) }]);

      const moved = await api
        .http()
        .patch(url)
        .set(await as(admin))
        .set('If-Match', '"1"')
        .send({ organisationId: other.id })
        .expect(422);
      expect(moved.body).toMatchObject({ rule: 'inspected-organisation-fixed' });
      expect(moved.body.errors).toEqual([{ field: 'organisationId', message: expect.any(String) }]);
    });
  });

  describe('findings', () => {
    it('adds strengths and concerns linked to the recommendations they led to, listed in report order', async () => {
      const world = await api.factories.world();
      const second = await api.factories.recommendation({
        inspectionId: world.inspection.id,
        ownerOrganisationId: world.organisation.id,
      });
      const pm = await api.factories.user({ role: 'performance_manager', portfolio: [world.organisation.id] });
      const url = `/api/v1/inspections/${world.inspection.id}/findings`;

      const strength = await api
        .http()
        .post(url)
        .set(await as(pm))
        .send({ kind: 'strength', text: 'Most court reports were of high quality.' })
        .expect(201);
      expect(strength.body).toMatchObject({
        inspectionId: world.inspection.id,
        kind: 'strength',
        text: 'Most court reports were of high quality.',
        recommendationIds: [],
      });
      const concern = await api
        .http()
        .post(url)
        .set(await as(admin))
        .send({
          kind: 'concern',
          text: 'Risk of harm analysis was not consistent or thorough.',
          recommendationIds: [world.recommendation.id, second.id, world.recommendation.id],
        })
        .expect(201);
      expect([...concern.body.recommendationIds].sort()).toEqual([world.recommendation.id, second.id].sort());

      const list = await api
        .http()
        .get(url)
        .set(await as(world.viewer))
        .expect(200);
      expect(list.body.items.map((f: { id: string }) => f.id)).toEqual([strength.body.id, concern.body.id]);
      expect(list.body.nextCursor).toBeNull();

      const paged = await api
        .http()
        .get(url)
        .query({ limit: 1 })
        .set(await as(world.viewer))
        .expect(200);
      expect(paged.body.items.map((f: { id: string }) => f.id)).toEqual([strength.body.id]);
      const next = await api
        .http()
        .get(url)
        .query({ limit: 1, cursor: paged.body.nextCursor })
        .set(await as(world.viewer))
        .expect(200);
      expect(next.body.items.map((f: { id: string }) => f.id)).toEqual([concern.body.id]);
    });

    it('accepts recommendation ids written in capitals', async () => {
      const world = await api.factories.world();
      const res = await api
        .http()
        .post(`/api/v1/inspections/${world.inspection.id}/findings`)
        .set(await as(admin))
        .send({
          kind: 'concern',
          text: 'Home visits not always made.',
          recommendationIds: [world.recommendation.id.toUpperCase()],
        })
        .expect(201);
      expect(res.body.recommendationIds).toEqual([world.recommendation.id]);
    });

    it("refuses recommendation ids that are not the inspection's own (422), adding nothing", async () => {
      const world = await api.factories.world();
      const other = await api.factories.world();
      const res = await api
        .http()
        .post(`/api/v1/inspections/${world.inspection.id}/findings`)
        .set(await as(admin))
        .send({
          kind: 'concern',
          text: 'Multi-agency information was not consulted enough.',
          recommendationIds: [world.recommendation.id, other.recommendation.id],
        })
        .expect(422);
      expect(res.body.errors).toEqual([
        { field: 'recommendationIds', message: expect.stringContaining(other.recommendation.id) },
      ]);
      expect(await count(`findings WHERE inspection_id = $1`, [world.inspection.id])).toBe(0);
    });

    it('answers 400 for a bad kind, 403 to senior managers, and 404 outside scope', async () => {
      const world = await api.factories.world();
      const other = await api.factories.world();
      const url = `/api/v1/inspections/${world.inspection.id}/findings`;
      const bad = await api
        .http()
        .post(url)
        .set(await as(admin))
        .send({ kind: 'weakness', text: 'Something' })
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['kind']);
      await api
        .http()
        .post(url)
        .set(await as(world.manager))
        .send({ kind: 'strength', text: 'We are great' })
        .expect(403);
      await api
        .http()
        .get(url)
        .set(await as(other.manager))
        .expect(404);
      expect(await count(`findings WHERE inspection_id = $1`, [world.inspection.id])).toBe(0);
    });
  });
});
