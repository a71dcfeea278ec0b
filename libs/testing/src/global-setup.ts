import { ensureDatabase, migrate } from '@rt/database';
import { databaseUrl, TEMPLATE_ENV, uniqueName } from './test-database';

/** Once per run: a template database with every migration applied; each test file copies it. */
export default async function globalSetup(): Promise<void> {
  if (process.env[TEMPLATE_ENV]) return; // both integration projects share one template
  const name = uniqueName('rt_template');
  await ensureDatabase(databaseUrl(name));
  await migrate(databaseUrl(name), 'up');
  process.env[TEMPLATE_ENV] = name;
}
