import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ACTION_STATUSES, FINDING_KINDS, ORGANISATION_KINDS, RAGS, ROLES, THEME_KEYS } from '@rt/domain';
import { ApiHarness, startApi } from './api-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;

interface BadInput {
  name: string;
  send: () => request.Test;
  status: number;
  /** The field the problem must name in `errors`. */
  field?: string;
  /** What the message for that field (or the detail) must say. */
  message?: RegExp;
}

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const listing = (values: readonly string[]) => new RegExp(values.join(', '));

/**
 * Whatever a client sends, a mistake gets a 4xx problem+json that names what was wrong, never a 500, and
 * the database is exactly as it was.
 */
describe('bad input', () => {
  let api: ApiHarness;
  let w: World;
  let adminToken: string;
  let managerToken: string;
  let existingUser: { email: string };

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    w = await api.factories.world();
    const admin = await api.factories.user({ role: 'admin' });
    existingUser = w.manager;
    adminToken = await api.tokenFor(admin);
    managerToken = await api.tokenFor(w.manager);
    await api.factories.recommendation({
      inspectionId: w.inspection.id,
      ownerOrganisationId: w.organisation.id,
      reference: 'R2',
    });
  });
  afterAll(() => api.close());

  const asAdmin = (t: request.Test) => t.set('Authorization', `Bearer ${adminToken}`);
  const asManager = (t: request.Test) => t.set('Authorization', `Bearer ${managerToken}`);

  const get = (path: string) => asAdmin(api.http().get(path));
  const post = (path: string, body?: unknown) => {
    const t = asAdmin(api.http().post(path));
    return body === undefined ? t : t.send(body as object);
  };
  const patchAction = (body: unknown, id = w.action.id) =>
    asManager(api.http().patch(`/api/v1/actions/${id}`))
      .set('If-Match', '"1"')
      .send(body as object);
  const postAction = (body: object) =>
    asManager(api.http().post(`/api/v1/recommendations/${w.recommendation.id}/actions`)).send(body);
  const patchRecommendation = (body: object) =>
    asAdmin(api.http().patch(`/api/v1/recommendations/${w.recommendation.id}`))
      .set('If-Match', '"1"')
      .send(body);
  const postRecommendation = (body: object) =>
    post(`/api/v1/inspections/${w.inspection.id}/recommendations`, {
      reference: 'R9',
      text: 'Improve the management of risk of harm to others.',
      theme: 'risk_of_harm',
      priority: 'high',
      ...body,
    });
  const postInspection = (body: object) =>
    post('/api/v1/inspections', {
      organisationId: w.organisation.id,
      inspectorateId: w.inspectorate.id,
      title: 'Inspection of Adult Offending Work: Kent Probation Trust',
      publishedOn: '2014-03-01',
      ...body,
    });
  const patchInspection = (body: object) =>
    asAdmin(api.http().patch(`/api/v1/inspections/${w.inspection.id}`))
      .set('If-Match', '"1"')
      .send(body);
  const postOrganisation = (body: object) =>
    post('/api/v1/organisations', { name: 'Kent, Surrey and Sussex CRC', kind: 'crc', region: 'south_east', ...body });
  const postUser = (body: object) =>
    post('/api/v1/users', {
      email: 'new.manager@example.org',
      name: 'Head of Public Protection',
      role: 'senior_manager',
      organisationId: w.organisation.id,
      password: 'a long enough password',
      ...body,
    });
  const raw = (method: 'post' | 'patch', path: string, contentType: string, body: string) => {
    const t = asAdmin(api.http()[method](path)).set('Content-Type', contentType);
    if (method === 'patch') t.set('If-Match', '"1"');
    return t.send(body);
  };

  /** Every table's row count and version total: any write at all changes it. */
  const snapshot = async () => {
    const tables = ['organisations', 'users', 'inspections', 'recommendations', 'actions'];
    const versioned = tables.map((t) => `(SELECT json_build_array(count(*), sum(version)) FROM ${t}) AS ${t}`);
    const counted = ['findings', 'portfolios', 'action_updates', 'recommendation_updates', 'outbox'].map(
      (t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`,
    );
    const { rows } = await api.pool.query(`SELECT ${[...versioned, ...counted].join(', ')}`);
    return rows[0];
  };

  const check = async ({ send, status, field, message }: BadInput) => {
    const before = await snapshot();
    const res = await send();
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    if (field) {
      const named = (res.body.errors ?? []).filter((e: { field: string }) => e.field === field);
      expect({ errors: res.body.errors, named: named.length > 0 }).toMatchObject({ named: true });
      if (message) expect(named.map((e: { message: string }) => e.message).join(' | ')).toMatch(message);
    } else if (message) {
      expect(res.body.detail).toMatch(message);
    }
    expect(await snapshot()).toEqual(before);
  };

  describe('unknown fields', () => {
    it.each<BadInput>([
      {
        name: 'in a new organisation',
        send: () => postOrganisation({ colour: 'red' }),
        status: 400,
        field: 'colour',
        message: /should not exist/,
      },
      {
        name: 'in an action update',
        send: () => patchAction({ progress: 10, priority: 'high' }),
        status: 400,
        field: 'priority',
        message: /should not exist/,
      },
      {
        name: 'in a query string',
        send: () => get('/api/v1/actions?colour=red'),
        status: 400,
        field: 'colour',
        message: /should not exist/,
      },
    ])('are refused $name', check);
  });

  describe('wrong types', () => {
    it.each<BadInput>([
      { name: 'a string for progress', send: () => patchAction({ progress: '50' }), status: 400, field: 'progress' },
      { name: 'a number for title', send: () => patchAction({ title: 42 }), status: 400, field: 'title' },
      { name: 'an object for title', send: () => patchAction({ title: { en: 'x' } }), status: 400, field: 'title' },
      { name: 'an array for title', send: () => patchAction({ title: ['x'] }), status: 400, field: 'title' },
      {
        name: 'a string for a list of ids',
        send: () =>
          asAdmin(api.http().put(`/api/v1/users/${w.manager.id}/portfolio`)).send({ organisationIds: 'everything' }),
        status: 400,
        field: 'organisationIds',
      },
      {
        name: 'an object for a list of ids',
        send: () =>
          post(`/api/v1/inspections/${w.inspection.id}/findings`, {
            kind: 'concern',
            text: 'Home visits not always made',
            recommendationIds: { first: w.recommendation.id },
          }),
        status: 400,
        field: 'recommendationIds',
      },
      {
        name: 'a string for a boolean',
        send: () =>
          asAdmin(api.http().patch(`/api/v1/users/${w.manager.id}`))
            .set('If-Match', '"1"')
            .send({ active: 'no' }),
        status: 400,
        field: 'active',
      },
      { name: 'a number for a date', send: () => patchAction({ dueDate: 20260301 }), status: 400, field: 'dueDate' },
    ])('are refused: $name', check);
  });

  describe('malformed uuids', () => {
    it.each<BadInput>([
      { name: 'in the path of a read', send: () => get('/api/v1/actions/not-a-uuid'), status: 400, field: 'id' },
      {
        name: 'in the path of an update',
        send: () => patchAction({ progress: 10 }, '1234'),
        status: 400,
        field: 'id',
        message: /UUID/,
      },
      {
        name: 'in the path of a nested list',
        send: () => get('/api/v1/inspections/xyz/recommendations'),
        status: 400,
        field: 'id',
      },
      {
        name: 'in the path of a create',
        send: () => post('/api/v1/recommendations/zzz/actions', { title: 'T', dueDate: '2026-05-01' }),
        status: 400,
        field: 'id',
      },
      { name: 'as ownerId', send: () => patchAction({ ownerId: 'bob' }), status: 400, field: 'ownerId' },
      {
        name: 'as organisationId of a new inspection',
        send: () => postInspection({ organisationId: '42' }),
        status: 400,
        field: 'organisationId',
      },
      {
        name: 'in a list of ids',
        send: () =>
          asAdmin(api.http().put(`/api/v1/users/${w.manager.id}/portfolio`)).send({ organisationIds: ['nope'] }),
        status: 400,
        field: 'organisationIds',
      },
      {
        name: 'as organisationId in the actions query',
        send: () => get('/api/v1/actions?organisationId=abc'),
        status: 400,
        field: 'organisationId',
      },
      {
        name: 'as organisationId in the users query',
        send: () => get('/api/v1/users?organisationId=abc'),
        status: 400,
        field: 'organisationId',
      },
      {
        name: 'repeated in a query where one id is expected',
        send: () => get(`/api/v1/actions?organisationId=${w.organisation.id}&organisationId=${w.organisation.id}`),
        status: 400,
        field: 'organisationId',
      },
      {
        name: 'as owner in the actions query',
        send: () => get('/api/v1/actions?owner=someone'),
        status: 400,
        field: 'owner',
      },
    ])('are refused $name', check);
  });

  describe('impossible dates', () => {
    const dates = ['2026-02-30', '2026-13-01', '26-01-01', 'tomorrow', '2026-3-1', '2026-03-01T00:00:00Z'];
    const fields: [string, string, (date: string) => request.Test][] = [
      ['dueDate', 'of an action update', (d) => patchAction({ dueDate: d, comment: 'Moved' })],
      ['dueDate', 'of a new action', (d) => postAction({ title: 'Train offender managers', dueDate: d })],
      ['publishedOn', 'of a new inspection', (d) => postInspection({ publishedOn: d })],
      ['targetDate', 'of a recommendation', (d) => patchRecommendation({ targetDate: d })],
      ['dueBefore', 'of the actions query', (d) => get(`/api/v1/actions?dueBefore=${encodeURIComponent(d)}`)],
      ['dueAfter', 'of the actions query', (d) => get(`/api/v1/actions?dueAfter=${encodeURIComponent(d)}`)],
    ];
    it.each<BadInput>(
      fields.flatMap(([field, where, send]) =>
        dates.map((date) => ({
          name: `${date} as ${field} ${where}`,
          send: () => send(date),
          status: 400,
          field,
          message: /real date written YYYY-MM-DD/,
        })),
      ),
    )('are refused: $name', check);
  });

  describe('out-of-range progress', () => {
    it.each<BadInput>(
      [-1, 101, 50.5, 1e9].map((progress) => ({
        name: String(progress),
        send: () => patchAction({ progress }),
        status: 400,
        field: 'progress',
      })),
    )('is refused: $name', check);
  });

  describe('blank text where text is required', () => {
    it.each<BadInput>([
      { name: 'action title', send: () => postAction({ title: '   ', dueDate: '2026-05-01' }), field: 'title' },
      { name: 'action title on update', send: () => patchAction({ title: '\t \n' }), field: 'title' },
      { name: 'recommendation text', send: () => patchRecommendation({ text: '   ' }), field: 'text' },
      { name: 'recommendation reference', send: () => postRecommendation({ reference: ' ' }), field: 'reference' },
      { name: 'organisation name', send: () => postOrganisation({ name: '   ' }), field: 'name' },
      { name: 'inspection title', send: () => patchInspection({ title: '   ' }), field: 'title' },
      { name: 'user name', send: () => postUser({ name: '  ' }), field: 'name' },
    ] as BadInput[])('is refused: $name', (c) => check({ ...c, status: 400, message: /must not be blank/ }));
  });

  describe('text the database cannot hold or that is too long', () => {
    it.each<BadInput>([
      { name: 'a NUL character in a title', send: () => patchAction({ title: 'Audit\u0000tool' }), field: 'title' },
      { name: 'a NUL character in evidence', send: () => patchAction({ evidence: '\u0000' }), field: 'evidence' },
      {
        name: 'a NUL character in a comment',
        send: () => patchAction({ progress: 5, comment: 'Started\u0000' }),
        field: 'comment',
      },
      { name: 'a NUL character in a name', send: () => postOrganisation({ name: 'Kent\u0000' }), field: 'name' },
      {
        name: 'a title over 300 characters',
        send: () => patchAction({ title: 'x'.repeat(301) }),
        field: 'title',
        message: /300 characters/,
      },
      {
        name: 'a reference over 20 characters',
        send: () => postRecommendation({ reference: 'R'.repeat(21) }),
        field: 'reference',
      },
    ] as BadInput[])('is refused: $name', (c) => check({ ...c, status: 400 }));
  });

  describe('null for a field that cannot be cleared', () => {
    it.each<BadInput>([
      { name: 'action title', send: () => patchAction({ title: null }), field: 'title' },
      { name: 'action dueDate', send: () => patchAction({ dueDate: null, comment: 'No date' }), field: 'dueDate' },
      { name: 'action status', send: () => patchAction({ status: null }), field: 'status' },
      { name: 'action progress', send: () => patchAction({ progress: null }), field: 'progress' },
      { name: 'recommendation theme', send: () => patchRecommendation({ theme: null }), field: 'theme' },
      { name: 'inspection publishedOn', send: () => patchInspection({ publishedOn: null }), field: 'publishedOn' },
      { name: 'required action title', send: () => postAction({ title: null, dueDate: '2026-05-01' }), field: 'title' },
    ] as BadInput[])('is refused: $name', (c) => check({ ...c, status: 400 }));
  });

  describe('bodies that are not JSON objects', () => {
    const big = JSON.stringify({ description: 'x'.repeat(1024 * 1024 + 10) });
    const orgs = '/api/v1/organisations';
    it.each<BadInput>([
      {
        name: 'a body over 1 MB → 413',
        send: () => raw('patch', `/api/v1/actions/${w.action.id}`, 'application/json', big),
        status: 413,
        field: 'body',
        message: /1 MB/,
      },
      {
        name: 'a body over 1 MB on a create → 413',
        send: () => raw('post', orgs, 'application/json', big),
        status: 413,
        field: 'body',
      },
      {
        name: 'text/plain → 415',
        send: () => raw('post', orgs, 'text/plain', '{"name":"X","kind":"crc","region":"wales"}'),
        status: 415,
        field: 'body',
        message: /application\/json/,
      },
      {
        name: 'form-urlencoded → 415',
        send: () => raw('post', orgs, 'application/x-www-form-urlencoded', 'name=X&kind=crc&region=wales'),
        status: 415,
        field: 'body',
        message: /application\/json/,
      },
      {
        name: 'XML → 415',
        send: () => raw('post', orgs, 'application/xml', '<organisation name="X"/>'),
        status: 415,
        field: 'body',
      },
      {
        name: 'multipart/form-data → 415',
        send: () =>
          raw(
            'post',
            orgs,
            'multipart/form-data; boundary=X',
            '--X\r\nContent-Disposition: form-data; name="name"\r\n\r\nX\r\n--X--',
          ),
        status: 415,
        field: 'body',
      },
      {
        name: 'a form on sign-in → 415',
        send: () =>
          api
            .http()
            .post('/api/v1/auth/token')
            .set('Content-Type', 'application/x-www-form-urlencoded')
            .send(`email=${encodeURIComponent(existingUser.email)}&password=whatever`),
        status: 415,
        field: 'body',
      },
      {
        name: 'JSON trying to poison the prototype',
        send: () => raw('post', orgs, 'application/json', '{"__proto__":{"admin":true},"name":"X","kind":"crc"}'),
        status: 400,
        field: 'body',
      },
      {
        name: 'malformed JSON',
        send: () => raw('post', orgs, 'application/json', '{"name": "X",'),
        status: 400,
        field: 'body',
      },
      {
        name: 'JavaScript, not JSON',
        send: () => raw('patch', `/api/v1/actions/${w.action.id}`, 'application/json', "{progress: 10, title: 'x'}"),
        status: 400,
        field: 'body',
      },
      { name: 'an array', send: () => raw('post', orgs, 'application/json', '[]'), status: 400, field: 'body' },
      {
        name: 'an array holding the object',
        send: () => raw('post', orgs, 'application/json', '[{"name":"X","kind":"crc","region":"wales"}]'),
        status: 400,
        field: 'body',
      },
      { name: 'a string', send: () => raw('post', orgs, 'application/json', '"x"'), status: 400, field: 'body' },
      { name: 'a number', send: () => raw('post', orgs, 'application/json', '42'), status: 400, field: 'body' },
      { name: 'null', send: () => raw('post', orgs, 'application/json', 'null'), status: 400, field: 'body' },
      {
        name: 'null on an update',
        send: () => raw('patch', `/api/v1/actions/${w.action.id}`, 'application/json', 'null'),
        status: 400,
        field: 'body',
      },
      {
        name: 'an empty JSON body',
        send: () => raw('post', orgs, 'application/json', ''),
        status: 400,
        field: 'body',
      },
      { name: 'no body at all', send: () => post(orgs), status: 400, field: 'body' },
      {
        name: 'an empty object where fields are required',
        send: () => post(orgs, {}),
        status: 400,
        field: 'name',
      },
      {
        name: 'an empty object for a new action',
        send: () => postAction({}),
        status: 400,
        field: 'dueDate',
      },
    ])('is refused: $name', check);
  });

  describe('unknown enum values list the allowed ones', () => {
    it.each<BadInput>([
      {
        name: 'theme',
        send: () => postRecommendation({ theme: 'weather' }),
        field: 'theme',
        message: listing(THEME_KEYS),
      },
      {
        name: 'status',
        send: () => patchAction({ status: 'done' }),
        field: 'status',
        message: listing(ACTION_STATUSES),
      },
      { name: 'role', send: () => postUser({ role: 'superuser' }), field: 'role', message: listing(ROLES) },
      {
        name: 'finding kind',
        send: () => post(`/api/v1/inspections/${w.inspection.id}/findings`, { kind: 'opinion', text: 'Fine' }),
        field: 'kind',
        message: listing(FINDING_KINDS),
      },
      {
        name: 'organisation kind',
        send: () => postOrganisation({ kind: 'club' }),
        field: 'kind',
        message: listing(ORGANISATION_KINDS),
      },
      { name: 'rag', send: () => get('/api/v1/actions?rag=purple'), field: 'rag', message: listing(RAGS) },
      {
        name: 'status filter',
        send: () => get('/api/v1/actions?status=in_progress&status=done'),
        field: 'status',
        message: listing(ACTION_STATUSES),
      },
    ] as BadInput[])('$name', (c) => check({ ...c, status: 400 }));
  });

  describe('page sizes', () => {
    it.each<BadInput>(
      ['0', '201', 'abc', '-5', '1.5', ''].flatMap((limit) =>
        ['/api/v1/actions', '/api/v1/organisations', `/api/v1/actions/${randomUUID()}/updates`].map((path) => ({
          name: `limit=${limit} on ${path.replace(/[0-9a-f-]{36}/, ':id')}`,
          send: () => get(`${path}?limit=${limit}`),
          status: 400,
          field: 'limit',
        })),
      ),
    )('are refused: $name', check);
  });

  describe('cursors this list did not give out', () => {
    const lists: [string, () => string][] = [
      ['/api/v1/actions', () => '/api/v1/actions'],
      ['/api/v1/organisations', () => '/api/v1/organisations'],
      ['/api/v1/users', () => '/api/v1/users'],
      ['/api/v1/inspections', () => '/api/v1/inspections'],
      ['/api/v1/inspections/:id/recommendations', () => `/api/v1/inspections/${w.inspection.id}/recommendations`],
      ['/api/v1/inspections/:id/findings', () => `/api/v1/inspections/${w.inspection.id}/findings`],
      ['/api/v1/actions/:id/updates', () => `/api/v1/actions/${w.action.id}/updates`],
      ['/api/v1/recommendations/:id/updates', () => `/api/v1/recommendations/${w.recommendation.id}/updates`],
      ['/api/v1/recommendations/:id/actions', () => `/api/v1/recommendations/${w.recommendation.id}/actions`],
    ];
    const cursors: [string, string][] = [
      ['garbage', 'garbage!!'],
      ['not an array', cursorOf({ a: 1 })],
      ['the wrong length', cursorOf(['2026-01-01', randomUUID(), 3, 4])],
      ['the right shape but values of the wrong kind', cursorOf(['not-a-date', 'not-a-uuid'])],
      ['a number where text is expected', cursorOf([1, 2])],
      ['too long', 'x'.repeat(601)],
    ];
    it.each<BadInput>(
      lists.flatMap(([list, path]) =>
        cursors.map(([what, cursor]) => ({
          name: `${what} on ${list}`,
          send: () => get(`${path()}?cursor=${encodeURIComponent(cursor)}`),
          status: 400,
          field: 'cursor',
        })),
      ),
    )('are refused: $name', check);
  });

  describe('unknown ids', () => {
    it.each<BadInput>([
      { name: 'an action', send: () => get(`/api/v1/actions/${randomUUID()}`) },
      { name: 'an action update', send: () => patchAction({ progress: 10 }, randomUUID()) },
      { name: "an action's history", send: () => get(`/api/v1/actions/${randomUUID()}/updates`) },
      { name: 'a recommendation', send: () => get(`/api/v1/recommendations/${randomUUID()}`) },
      { name: "a recommendation's actions", send: () => get(`/api/v1/recommendations/${randomUUID()}/actions`) },
      {
        name: 'an action for a missing recommendation',
        send: () => post(`/api/v1/recommendations/${randomUUID()}/actions`, { title: 'T', dueDate: '2026-05-01' }),
      },
      { name: 'an inspection', send: () => get(`/api/v1/inspections/${randomUUID()}`) },
      { name: "an inspection's findings", send: () => get(`/api/v1/inspections/${randomUUID()}/findings`) },
      {
        name: 'a recommendation for a missing inspection',
        send: () =>
          post(`/api/v1/inspections/${randomUUID()}/recommendations`, {
            reference: 'R1',
            text: 'Improve',
            theme: 'risk_of_harm',
            priority: 'high',
          }),
      },
      {
        name: 'an organisation update',
        send: () =>
          asAdmin(api.http().patch(`/api/v1/organisations/${randomUUID()}`))
            .set('If-Match', '"1"')
            .send({ name: 'Renamed' }),
      },
      { name: 'a user', send: () => get(`/api/v1/users/${randomUUID()}`) },
      {
        name: "a user's portfolio",
        send: () => asAdmin(api.http().put(`/api/v1/users/${randomUUID()}/portfolio`)).send({ organisationIds: [] }),
      },
    ] as BadInput[])('answer 404: $name', (c) => check({ ...c, status: 404 }));

    it.each<BadInput>([
      {
        name: 'an unknown owner',
        send: () => patchAction({ ownerId: randomUUID() }),
        status: 422,
        field: 'ownerId',
      },
      {
        name: 'an unknown organisation in a portfolio',
        send: () =>
          asAdmin(api.http().put(`/api/v1/users/${w.manager.id}/portfolio`)).send({ organisationIds: [randomUUID()] }),
        status: 422,
        field: 'organisationIds',
      },
      {
        name: 'an unknown inspectorate',
        send: () => postInspection({ inspectorateId: randomUUID() }),
        status: 422,
        field: 'inspectorateId',
      },
      {
        name: 'an unknown successor',
        send: () => postOrganisation({ successorIds: [randomUUID()] }),
        status: 422,
        field: 'successorIds',
      },
      {
        name: "an unknown user's organisation",
        send: () => postUser({ organisationId: randomUUID() }),
        status: 422,
        field: 'organisationId',
      },
    ])('in a body are refused: $name', check);
  });

  describe('database constraints', () => {
    it.each<BadInput>([
      {
        name: 'a user email that exists (in other letter case)',
        send: () => postUser({ email: existingUser.email.toUpperCase() }),
        field: 'email',
        message: /already exists/,
      },
      {
        name: 'changing a user email to one that exists',
        send: () =>
          asAdmin(api.http().patch(`/api/v1/users/${w.viewer.id}`))
            .set('If-Match', '"1"')
            .send({ email: existingUser.email }),
        field: 'email',
        message: /already exists/,
      },
      {
        name: 'a recommendation reference the inspection already has',
        send: () => postRecommendation({ reference: 'R2' }),
        field: 'reference',
        message: /already has a recommendation with this reference/,
      },
      {
        name: 'changing a reference to one the inspection already has',
        send: () => patchRecommendation({ reference: 'R2' }),
        field: 'reference',
        message: /already has a recommendation with this reference/,
      },
      {
        name: 'an organisation name that exists',
        send: () => postOrganisation({ name: w.organisation.name }),
        field: 'name',
        message: /already exists/,
      },
    ] as BadInput[])('answer 409 naming the field: $name', (c) => check({ ...c, status: 409 }));
  });

  describe('unknown routes', () => {
    it.each<BadInput>([
      { name: 'GET /api/v1/nothing', send: () => get('/api/v1/nothing') },
      { name: 'GET /api/v2/actions', send: () => get('/api/v2/actions') },
      { name: 'DELETE /api/v1/actions/:id', send: () => asAdmin(api.http().delete(`/api/v1/actions/${w.action.id}`)) },
      { name: 'POST /api/v1/actions', send: () => post('/api/v1/actions', { title: 'T', dueDate: '2026-05-01' }) },
      { name: 'without a token', send: () => api.http().get('/api/v1/nothing/here') },
    ] as BadInput[])('answer 404 problem+json: $name', (c) => check({ ...c, status: 404 }));
  });
});
