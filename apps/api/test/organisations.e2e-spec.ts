import { randomUUID } from 'node:crypto';
import { Response } from 'supertest';
import { ApiHarness, startApi } from './api-harness';

type User = { id: string; email: string; password: string };
type Organisation = { id: string; version: number; name: string };

describe('organisations API', () => {
  let api: ApiHarness;
  let admin: User;
  let kent: { id: string; name: string };
  let london: { id: string; name: string };
  let kentManager: User;
  let kentViewer: User;
  let performanceManager: User;

  beforeAll(async () => {
    api = await startApi();
    admin = await api.factories.user({ role: 'admin' });
    kent = await api.factories.organisation({ name: 'Kent Probation Trust', region: 'south_east' });
    london = await api.factories.organisation({ name: 'London Probation Trust', region: 'london' });
    kentManager = await api.factories.user({ role: 'senior_manager', organisationId: kent.id });
    kentViewer = await api.factories.user({ role: 'viewer', organisationId: kent.id });
    performanceManager = await api.factories.user({ role: 'performance_manager', portfolio: [london.id] });
  });
  afterAll(() => api.close());

  const as = async (user: User) => ({ Authorization: `Bearer ${await api.tokenFor(user)}` });
  const unique = () => randomUUID().slice(0, 8);

  async function create(body: Record<string, unknown> = {}): Promise<Organisation> {
    const res = await api
      .http()
      .post('/api/v1/organisations')
      .set(await as(admin))
      .send({ name: `Test Community Rehabilitation Company ${unique()}`, kind: 'crc', region: 'south_east', ...body })
      .expect(201);
    return res.body;
  }

  async function patch(organisation: Organisation, body: Record<string, unknown>, status = 200) {
    return api
      .http()
      .patch(`/api/v1/organisations/${organisation.id}`)
      .set(await as(admin))
      .set('If-Match', `"${organisation.version}"`)
      .send(body)
      .expect(status);
  }

  async function read(id: string) {
    return api
      .http()
      .get(`/api/v1/organisations/${id}`)
      .set(await as(admin))
      .expect(200);
  }

  /** Every id a list answers, walking all its pages. */
  async function allIds(user: User, query = ''): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await api
        .http()
        .get(`/api/v1/organisations?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`)
        .set(await as(user))
        .expect(200);
      ids.push(...res.body.items.map((o: { id: string }) => o.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    return ids;
  }

  describe('POST /api/v1/organisations', () => {
    it('creates an organisation, answering 201 with an ETag', async () => {
      const res = await api
        .http()
        .post('/api/v1/organisations')
        .set(await as(admin))
        .send({
          name: 'National Probation Service South East and Eastern Division',
          kind: 'nps_division',
          region: 'south_east',
        })
        .expect(201);
      expect(res.headers.etag).toBe(`"${res.body.version}"`);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        name: 'National Probation Service South East and Eastern Division',
        kind: 'nps_division',
        region: 'south_east',
        status: 'active',
        dissolvedOn: null,
        successorIds: [],
        predecessorIds: [],
      });
      const got = await read(res.body.id);
      expect(got.body).toEqual(res.body);
    });

    it('creates a dissolved organisation with its date and successors', async () => {
      const successor = await create();
      const res = await create({ status: 'dissolved', dissolvedOn: '2014-06-01', successorIds: [successor.id] });
      expect(res).toMatchObject({ status: 'dissolved', dissolvedOn: '2014-06-01', successorIds: [successor.id] });
      expect((await read(successor.id)).body.predecessorIds).toEqual([res.id]);
    });

    it('refuses a dissolved organisation without a date with 422 naming dissolvedOn', async () => {
      const name = `Dissolved Without Date ${unique()}`;
      const res = await api
        .http()
        .post('/api/v1/organisations')
        .set(await as(admin))
        .send({ name, kind: 'probation_trust', region: 'wales', status: 'dissolved' })
        .expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'dissolvedOn' })]);
      const { rows } = await api.pool.query(`SELECT 1 FROM organisations WHERE name = $1`, [name]);
      expect(rows).toHaveLength(0);
    });

    it('refuses an unknown successor with 422 and creates nothing', async () => {
      const name = `Unknown Successor ${unique()}`;
      const res = await api
        .http()
        .post('/api/v1/organisations')
        .set(await as(admin))
        .send({
          name,
          kind: 'probation_trust',
          region: 'wales',
          status: 'dissolved',
          dissolvedOn: '2014-06-01',
          successorIds: [randomUUID()],
        })
        .expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'successorIds' })]);
      const { rows } = await api.pool.query(`SELECT 1 FROM organisations WHERE name = $1`, [name]);
      expect(rows).toHaveLength(0);
    });

    it('refuses a name already in use with 409 naming name', async () => {
      const res = await api
        .http()
        .post('/api/v1/organisations')
        .set(await as(admin))
        .send({ name: kent.name, kind: 'probation_trust', region: 'south_east' })
        .expect(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    });

    it('treats names that differ only in case as the same name', async () => {
      const res = await api
        .http()
        .post('/api/v1/organisations')
        .set(await as(admin))
        .send({ name: kent.name.toUpperCase(), kind: 'probation_trust', region: 'south_east' })
        .expect(409);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    });

    it('refuses bad input with 400 naming each field', async () => {
      const res = await api
        .http()
        .post('/api/v1/organisations')
        .set(await as(admin))
        .send({ name: '  ', kind: 'charity', region: 'mars', dissolvedOn: '2014-02-30', colour: 'red' })
        .expect(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'kind', 'region', 'dissolvedOn', 'colour']));
    });

    it('is for admins only: other roles get 403 and nothing is created', async () => {
      const name = `Not Allowed ${unique()}`;
      for (const user of [performanceManager, kentManager, kentViewer]) {
        await api
          .http()
          .post('/api/v1/organisations')
          .set(await as(user))
          .send({ name, kind: 'crc', region: 'london' })
          .expect(403);
      }
      const { rows } = await api.pool.query(`SELECT 1 FROM organisations WHERE name = $1`, [name]);
      expect(rows).toHaveLength(0);
    });
  });

  describe('GET /api/v1/organisations/{id}', () => {
    it('answers an organisation with an ETag', async () => {
      const res = await read(kent.id);
      expect(res.headers.etag).toBe(`"${res.body.version}"`);
      expect(res.body).toMatchObject({ id: kent.id, name: kent.name, kind: 'probation_trust', region: 'south_east' });
    });

    it('shows a senior manager their own organisation and 404 for any other', async () => {
      await api
        .http()
        .get(`/api/v1/organisations/${kent.id}`)
        .set(await as(kentManager))
        .expect(200);
      const res = await api
        .http()
        .get(`/api/v1/organisations/${london.id}`)
        .set(await as(kentManager))
        .expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      await api
        .http()
        .get(`/api/v1/organisations/${london.id}`)
        .set(await as(kentViewer))
        .expect(404);
    });

    it('shows a performance manager their portfolio and 404 for the rest', async () => {
      await api
        .http()
        .get(`/api/v1/organisations/${london.id}`)
        .set(await as(performanceManager))
        .expect(200);
      await api
        .http()
        .get(`/api/v1/organisations/${kent.id}`)
        .set(await as(performanceManager))
        .expect(404);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      await api
        .http()
        .get(`/api/v1/organisations/${randomUUID()}`)
        .set(await as(admin))
        .expect(404);
      const res = await api
        .http()
        .get('/api/v1/organisations/kent')
        .set(await as(admin))
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    });
  });

  describe('PATCH /api/v1/organisations/{id}', () => {
    it('dissolves an organisation into successors, which show it as their predecessor', async () => {
      const trust = await create({ kind: 'probation_trust' });
      const nps = await create({ kind: 'nps_division' });
      const crc = await create({ kind: 'crc' });
      const res = await patch(trust, {
        status: 'dissolved',
        dissolvedOn: '2014-06-01',
        successorIds: [nps.id, crc.id],
      });
      expect(res.headers.etag).toBe(`"${trust.version + 1}"`);
      expect(res.body).toMatchObject({ status: 'dissolved', dissolvedOn: '2014-06-01', version: trust.version + 1 });
      expect([...res.body.successorIds].sort()).toEqual([nps.id, crc.id].sort());
      expect((await read(nps.id)).body.predecessorIds).toEqual([trust.id]);
      expect((await read(crc.id)).body.predecessorIds).toEqual([trust.id]);
    });

    it('replaces the successors when given a new list', async () => {
      const first = await create();
      const second = await create();
      const trust = await create({ status: 'dissolved', dissolvedOn: '2014-06-01', successorIds: [first.id] });
      const res = await patch(trust, { successorIds: [second.id] });
      expect(res.body.successorIds).toEqual([second.id]);
      expect((await read(first.id)).body.predecessorIds).toEqual([]);
      expect((await read(second.id)).body.predecessorIds).toEqual([trust.id]);
    });

    it('refuses dissolving without a date with 422 naming dissolvedOn, and nothing changes', async () => {
      const trust = await create();
      const res = await patch(trust, { status: 'dissolved' }, 422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'dissolvedOn' })]);
      expect((await read(trust.id)).body).toMatchObject({ status: 'active', version: trust.version });
    });

    it('refuses an organisation succeeding itself with 422', async () => {
      const trust = await create();
      const res = await patch(trust, { status: 'dissolved', dissolvedOn: '2014-06-01', successorIds: [trust.id] }, 422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'successorIds' })]);
      expect((await read(trust.id)).body).toMatchObject({ status: 'active', successorIds: [], version: trust.version });
    });

    it('refuses an unknown successor with 422 and keeps the old successors', async () => {
      const successor = await create();
      const trust = await create({ status: 'dissolved', dissolvedOn: '2014-06-01', successorIds: [successor.id] });
      const res = await patch(trust, { successorIds: [successor.id, randomUUID()] }, 422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'successorIds' })]);
      expect((await read(trust.id)).body).toMatchObject({ successorIds: [successor.id], version: trust.version });
    });

    it('refuses renaming to a name in use with 409 naming name', async () => {
      const trust = await create();
      const res = await patch(trust, { name: london.name }, 409);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
      expect((await read(trust.id)).body.name).toBe(trust.name);
    });

    it('needs If-Match: 428 when missing, 412 when stale, and nothing changes', async () => {
      const trust = await create();
      const missing = await api
        .http()
        .patch(`/api/v1/organisations/${trust.id}`)
        .set(await as(admin))
        .send({ region: 'wales' })
        .expect(428);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);

      const changed = await patch(trust, { region: 'london' });
      const stale = await api
        .http()
        .patch(`/api/v1/organisations/${trust.id}`)
        .set(await as(admin))
        .set('If-Match', `"${trust.version}"`)
        .send({ region: 'wales' })
        .expect(412);
      expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);

      const after = await read(trust.id);
      expect(after.body).toMatchObject({ region: 'london', version: changed.body.version });
      expect(after.headers.etag).toBe(changed.headers.etag);
    });

    it('is for admins only: other roles get 403, even on their own organisation', async () => {
      const current = await read(kent.id);
      for (const user of [kentManager, kentViewer, performanceManager]) {
        await api
          .http()
          .patch(`/api/v1/organisations/${kent.id}`)
          .set(await as(user))
          .set('If-Match', current.headers.etag)
          .send({ region: 'london' })
          .expect(403);
      }
      expect((await read(kent.id)).body).toMatchObject({ region: 'south_east', version: current.body.version });
    });
  });

  describe('GET /api/v1/organisations', () => {
    it('shows an admin every organisation', async () => {
      const ids = await allIds(admin);
      const { rows } = await api.pool.query(`SELECT id FROM organisations`);
      expect(ids.sort()).toEqual(rows.map((r) => r.id).sort());
    });

    it('shows a senior manager and a viewer only their own organisation', async () => {
      expect(await allIds(kentManager)).toEqual([kent.id]);
      expect(await allIds(kentViewer)).toEqual([kent.id]);
    });

    it('shows a performance manager only their portfolio', async () => {
      expect(await allIds(performanceManager)).toEqual([london.id]);
    });

    it('filters by kind, region and status', async () => {
      const wales = await create({ kind: 'inspectorate', region: 'wales' });
      const dissolved = await create({
        kind: 'inspectorate',
        region: 'wales',
        status: 'dissolved',
        dissolvedOn: '2014-06-01',
      });
      const byKind = await allIds(admin, '&kind=inspectorate');
      const { rows: inspectorates } = await api.pool.query(`SELECT id FROM organisations WHERE kind = 'inspectorate'`);
      expect(byKind.sort()).toEqual(inspectorates.map((r) => r.id).sort());
      expect(byKind).toEqual(expect.arrayContaining([wales.id, dissolved.id]));

      const byRegion = await allIds(admin, '&region=wales');
      const { rows: welsh } = await api.pool.query(`SELECT id FROM organisations WHERE region = 'wales'`);
      expect(byRegion.sort()).toEqual(welsh.map((r) => r.id).sort());
      expect(byRegion).not.toContain(kent.id);

      expect(await allIds(admin, '&kind=inspectorate&region=wales&status=dissolved')).toEqual([dissolved.id]);
      const active = await allIds(admin, '&status=active');
      expect(active).toContain(wales.id);
      expect(active).not.toContain(dissolved.id);
    });

    it('refuses an unknown filter value with 400 naming it', async () => {
      const res = await api
        .http()
        .get('/api/v1/organisations?kind=charity')
        .set(await as(admin))
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'kind' })]);
    });

    it('walks every page with nextCursor, in name order, without repeats or gaps', async () => {
      for (let i = 0; i < 3; i++) await create();
      const { rows: ordered } = await api.pool.query(`SELECT id FROM organisations ORDER BY name, id`);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Response = await api
          .http()
          .get(`/api/v1/organisations?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          .set(await as(admin))
          .expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.items.map((o: { id: string }) => o.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      expect(cursor).toBeNull();
      expect(seen).toEqual(ordered.map((r) => r.id));
      expect(pages).toBe(Math.ceil(ordered.length / 3));
    });
  });
});
