import 'reflect-metadata';
import { ConfigError, loadConfig } from '@rt/config';
import { createWorkerApp } from './worker-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createWorkerApp(config);
  await app.listen({ port: config.workerPort, host: '0.0.0.0' });
  console.log(`Recommendation Tracker worker running; health on port ${config.workerPort}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
