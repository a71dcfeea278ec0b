import 'reflect-metadata';
import { ConfigError, loadConfig } from '@rt/config';
import { createApiApp } from './api-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  console.log(`Recommendation Tracker API listening on ${config.appBaseUrl} (port ${config.port})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
