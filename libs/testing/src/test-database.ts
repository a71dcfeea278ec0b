import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEMPLATE_ENV = 'RT_TEST_TEMPLATE_DB';

export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, copied from the run's migrated template (or empty, unmigrated). */
export async function createTestDatabase({ migrated = true }: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (migrated && !template) throw new Error(`${TEMPLATE_ENV} is not set: run through jest's integration projects`);
  const name = uniqueName('rt_test');
  await admin((c) => c.query(`CREATE DATABASE "${name}"${migrated ? ` TEMPLATE "${template}"` : ''}`));
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

/**
 * Drops a test database once its connections have gone (pools close their sockets a moment after `end()`
 * resolves; terminating one mid-close makes pg raise an unhandled error in the test process). Forces it after 5 s.
 */
export async function dropDatabase(name: string): Promise<void> {
  await admin(async (c) => {
    for (let waited = 0; waited < 5_000; waited += 50) {
      const { rows } = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}
