import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

export type MigrationCommand = 'up' | 'down' | 'status';

/** Applies (up), reverts the latest (down), or lists pending migrations. Returns the names it touched. */
export async function migrate(url: string, command: MigrationCommand = 'up'): Promise<string[]> {
  const dataSource = new DataSource({ ...dataSourceOptions({ url, poolSize: 2, applicationName: 'migrate' }) });
  await dataSource.initialize();
  try {
    if (command === 'up') return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    if (command === 'down') {
      const before = await dataSource.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
      await dataSource.undoLastMigration({ transaction: 'each' });
      return before.map((r: { name: string }) => r.name);
    }
    const applied = new Set(
      (await dataSource.query(`SELECT name FROM migrations`).catch(() => [])).map((r: { name: string }) => r.name),
    );
    return dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !applied.has(n));
  } finally {
    await dataSource.destroy();
  }
}

/** Creates the database named in the URL when it does not exist yet (needs a role that may CREATE DATABASE). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const { Client } = await import('pg');
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  const command = (process.argv[2] ?? 'up') as MigrationCommand;
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recommendation_tracker';
  (async () => {
    if (command === 'up' && (await ensureDatabase(url)))
      console.log(`created database ${new URL(url).pathname.slice(1)}`);
    const names = await migrate(url, command);
    const verb = { up: 'applied', down: 'reverted', status: 'pending' }[command];
    console.log(names.length ? `${verb}: ${names.join(', ')}` : `${verb}: none`);
  })().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
