import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '@rt/config';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Config for a test: its own database, its own Redis key prefix, quiet logs unless TEST_LOG_LEVEL says. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `{rt-test-${randomBytes(4).toString('hex')}}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    WORKER_PORT: '0',
    SEED_DEMO: 'false',
    TOKEN_SECRET: 'test-token-secret-that-is-long-enough-0123456789',
    APP_BASE_URL: 'http://tracker.test',
    ...overrides,
  });
}
