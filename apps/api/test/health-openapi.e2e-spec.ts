import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ApiHarness, startApi } from './api-harness';

/** Every route of the JSON API, as a client sees it. A new route belongs here, and in the OpenAPI document. */
const API_ROUTES = [
  'POST /api/v1/auth/token',
  'GET /api/v1/me',
  'PATCH /api/v1/me',
  'GET /api/v1/organisations',
  'POST /api/v1/organisations',
  'GET /api/v1/organisations/{id}',
  'PATCH /api/v1/organisations/{id}',
  'GET /api/v1/users',
  'POST /api/v1/users',
  'GET /api/v1/users/{id}',
  'PATCH /api/v1/users/{id}',
  'PUT /api/v1/users/{id}/portfolio',
  'GET /api/v1/inspections',
  'POST /api/v1/inspections',
  'GET /api/v1/inspections/{id}',
  'PATCH /api/v1/inspections/{id}',
  'GET /api/v1/inspections/{id}/findings',
  'POST /api/v1/inspections/{id}/findings',
  'GET /api/v1/inspections/{id}/recommendations',
  'POST /api/v1/inspections/{id}/recommendations',
  'GET /api/v1/recommendations/{id}',
  'PATCH /api/v1/recommendations/{id}',
  'GET /api/v1/recommendations/{id}/updates',
  'GET /api/v1/recommendations/{id}/actions',
  'POST /api/v1/recommendations/{id}/actions',
  'GET /api/v1/actions',
  'GET /api/v1/actions/{id}',
  'PATCH /api/v1/actions/{id}',
  'GET /api/v1/actions/{id}/updates',
  'GET /api/v1/reminder-settings',
  'PATCH /api/v1/reminder-settings',
  'GET /api/v1/organisations/{id}/reminder-settings',
  'PATCH /api/v1/organisations/{id}/reminder-settings',
  'GET /api/v1/notifications',
  'POST /api/v1/jobs/reminders/run',
  'GET /api/v1/jobs/reminders/run/{jobId}',
  'POST /api/v1/jobs/digest/run',
  'GET /api/v1/jobs/digest/run/{jobId}',
  'GET /api/v1/rollups',
  'GET /api/v1/rollups/portfolio',
  'GET /api/v1/rollups/trend',
  'POST /api/v1/jobs/rollups/reconcile',
  'GET /api/v1/jobs/rollups/reconcile/{jobId}',
  'POST /api/v1/snapshots',
  'GET /api/v1/snapshots',
  'GET /api/v1/snapshots/{id}',
  'GET /api/v1/snapshots/{a}/diff/{b}',
  'POST /api/v1/inspections/{id}/recommendations/import',
  'GET /api/v1/recommendations/import-template.csv',
  'GET /api/v1/inspections/{id}/action-plan',
  'GET /api/v1/inspections/{id}/action-plan.csv',
  'GET /api/v1/inspections/{id}/action-plan.xlsx',
  'GET /api/v1/organisations/{id}/action-plan.csv',
  'GET /api/v1/organisations/{id}/action-plan.xlsx',
  'GET /api/v1/snapshots/{id}/action-plan.csv',
  'GET /api/v1/snapshots/{id}/action-plan.xlsx',
  'POST /api/v1/handovers',
  'GET /api/v1/handovers',
  'GET /api/v1/handovers/{id}',
].sort();

interface OpenApiOperation {
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
}

describe('health, OpenAPI and request ids', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  describe('health', () => {
    it('answers GET /health without sign-in', async () => {
      const res = await api.http().get('/health').expect(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('answers GET /health/ready with the database and Redis up', async () => {
      const res = await api.http().get('/health/ready').expect(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    });

    it('answers 503 naming redis when Redis cannot be reached, while /health stays up', async () => {
      const noRedis = await startApi({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
      try {
        const started = Date.now();
        const res = await noRedis.http().get('/health/ready').expect(503);
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(res.body).toMatchObject({
          status: 'error',
          info: { database: { status: 'up' } },
          error: { redis: { status: 'down' } },
        });
        expect(res.body.error).not.toHaveProperty('database');
        await noRedis.http().get('/health').expect(200);
      } finally {
        await noRedis.close();
      }
    }, 30_000); // a second app and database to set up and drop
  });

  describe('OpenAPI', () => {
    let document: {
      openapi: string;
      paths: Record<string, Record<string, OpenApiOperation>>;
      components: {
        securitySchemes: Record<string, { type: string; scheme: string }>;
        schemas: Record<string, unknown>;
      };
    };

    beforeAll(async () => {
      const res = await api.http().get('/api/openapi.json').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      document = res.body;
    });

    const documented = () =>
      Object.entries(document.paths)
        .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
        .filter((route) => route.includes(' /api/v1/'))
        .sort();

    it('is an OpenAPI 3 document', () => {
      expect(document.openapi).toMatch(/^3\./);
    });

    it('lists exactly the routes the app serves under /api/v1', () => {
      const scanner = api.app.get(MetadataScanner);
      const served: string[] = [];
      for (const { instance, metatype } of api.app.get(DiscoveryService).getControllers()) {
        if (!instance || !metatype) continue;
        const base = String(Reflect.getMetadata(PATH_METADATA, metatype));
        const prototype = Object.getPrototypeOf(instance);
        for (const name of scanner.getAllMethodNames(prototype)) {
          const path = Reflect.getMetadata(PATH_METADATA, prototype[name]);
          if (path === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, prototype[name]) as RequestMethod];
          const full = `/${[base, path]
            .map((p) => String(p).replace(/^\/|\/$/g, ''))
            .filter(Boolean)
            .join('/')}`;
          if (full.startsWith('/api/v1/')) served.push(`${method} ${full.replace(/:(\w+)/g, '{$1}')}`);
        }
      }
      expect(served.sort()).toEqual(API_ROUTES);
      expect(documented()).toEqual(API_ROUTES);
    });

    it('asks for a bearer token on every route but sign-in', () => {
      expect(Object.values(document.components.securitySchemes)).toContainEqual(
        expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      );
      const [schemeName] = Object.entries(document.components.securitySchemes).find(([, s]) => s.scheme === 'bearer')!;
      for (const route of API_ROUTES) {
        const [method, path] = route.split(' ');
        const operation = document.paths[path][method.toLowerCase()];
        if (route === 'POST /api/v1/auth/token') {
          expect(operation.security ?? []).toEqual([]);
        } else {
          expect({ route, security: operation.security }).toEqual({ route, security: [{ [schemeName]: [] }] });
          expect({ route, has401: Object.keys(operation.responses) }).toEqual({
            route,
            has401: expect.arrayContaining(['401']),
          });
        }
      }
    });

    it('documents the problem details every error answers with', () => {
      expect(document.components.schemas.Problem).toMatchObject({
        type: 'object',
        required: expect.arrayContaining(['type', 'title', 'status', 'detail']),
        properties: expect.objectContaining({ errors: expect.any(Object), rule: expect.any(Object) }),
      });
      const patch = document.paths['/api/v1/actions/{id}'].patch;
      expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(['404', '412', '422', '428']));
      expect(JSON.stringify(patch.responses['412'])).toContain('#/components/schemas/Problem');
    });

    it('serves a browsable page at /api/docs', async () => {
      const res = await api.http().get('/api/docs').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<title>Recommendation Tracker API</title>');
      await api.http().get('/api/docs/swagger-ui-init.js').expect(200);
    });
  });

  describe('X-Request-Id', () => {
    it('keeps a sane request id the caller sends', async () => {
      const res = await api.http().get('/health').set('X-Request-Id', 'probe-7f3a.1:2').expect(200);
      expect(res.headers['x-request-id']).toBe('probe-7f3a.1:2');
    });

    it('makes one up when none is sent, different for each request', async () => {
      const first = await api.http().get('/health').expect(200);
      const second = await api.http().get('/health').expect(200);
      expect(first.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(second.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });

    it('replaces one that is not sane', async () => {
      for (const given of ['has spaces in it', 'x'.repeat(129), 'quote"d']) {
        const res = await api.http().get('/health').set('X-Request-Id', given).expect(200);
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it('is echoed on API errors too', async () => {
      const res = await api.http().get('/api/v1/me').set('X-Request-Id', 'req-401-check').expect(401);
      expect(res.headers['x-request-id']).toBe('req-401-check');
      const missing = await api.http().get('/api/v1/no-such-route').set('X-Request-Id', 'req-404-check').expect(404);
      expect(missing.headers['x-request-id']).toBe('req-404-check');
    });
  });
});
