import { NestFastifyApplication } from '@nestjs/platform-fastify';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import request from 'supertest';
import { AppConfig } from '@rt/config';
import { FixedClock } from '@rt/domain';
import { createTestDatabase, Factories, TEST_PASSWORD, testConfig, TestDatabase } from '@rt/testing';
import { createApiApp } from '../src/api-app';

export interface ApiHarness {
  app: NestFastifyApplication;
  config: AppConfig;
  database: TestDatabase;
  pool: Pool;
  factories: Factories;
  clock?: FixedClock;
  /** supertest against the listening server. */
  http: () => ReturnType<typeof request>;
  /** A bearer token for a user made by the factories (or any email and password). */
  tokenFor(user: { email: string; password?: string }): Promise<string>;
  close(): Promise<void>;
}

/**
 * The API as it runs in production (the same bootstrap as main.ts), listening on a free port, against a fresh
 * copy of the migrated database. `today` fixes the clock (London noon on that date) for tests about dates.
 */
export async function startApi(options: { env?: Record<string, string>; today?: string } = {}): Promise<ApiHarness> {
  const database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, ...options.env });
  const clock = options.today ? new FixedClock(new Date(`${options.today}T12:00:00Z`)) : undefined;
  const app = await createApiApp(config, { clock });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const pool = new Pool({ connectionString: database.url, max: 4 });
  const http = () => request(baseUrl);
  const tokens = new Map<string, string>();
  return {
    app,
    config,
    database,
    pool,
    factories: new Factories(pool),
    clock,
    http,
    async tokenFor(user) {
      const cached = tokens.get(user.email);
      if (cached) return cached;
      const res = await http()
        .post('/api/v1/auth/token')
        .send({ email: user.email, password: user.password ?? TEST_PASSWORD });
      if (res.status !== 200) throw new Error(`sign-in for ${user.email} failed: ${res.status} ${res.text}`);
      tokens.set(user.email, res.body.accessToken);
      return res.body.accessToken;
    },
    async close() {
      await app.close();
      await pool.end();
      await database.drop();
      await deleteKeys(config.redisUrl, config.queuePrefix);
    },
  };
}

/** Removes every Redis key under this test's own queue prefix (jobs the API queued for a worker that never ran). */
async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    // Some tests point the API at a Redis that is not there (to see its 503s): nothing to clean then.
    if (
      !(await redis.connect().then(
        () => true,
        () => false,
      ))
    )
      return;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
