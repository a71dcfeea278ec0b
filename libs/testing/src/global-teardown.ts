import { dropDatabase, TEMPLATE_ENV } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const name = process.env[TEMPLATE_ENV];
  if (name) await dropDatabase(name);
  delete process.env[TEMPLATE_ENV];
}
