import './heap-growth';
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@rt/config';
import { DemoSeedService } from '@rt/domain';
import { createApiApp } from './api-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen({ port: config.port, host: '0.0.0.0' });

  const lines = [
    `Recommendation Tracker is running at ${config.appBaseUrl}`,
    `  API documentation: ${config.appBaseUrl}/api/docs (OpenAPI: ${config.appBaseUrl}/api/openapi.json)`,
  ];
  if (config.admin) lines.push(`  Admin sign-in: ${config.admin.email} (password: ADMIN_PASSWORD in your .env)`);
  const demo = config.seedDemo ? await app.get(DemoSeedService).signIns() : [];
  if (demo.length) {
    lines.push(
      `  Demo sign-ins (password "${config.nodeEnv === 'production' ? '<DEMO_PASSWORD>' : config.demoPassword}"):`,
    );
    for (const s of demo) lines.push(`    ${s.role.padEnd(20)} ${s.email.padEnd(48)} ${s.name}`);
  }
  console.log(`\n${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
