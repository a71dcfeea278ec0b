#!/usr/bin/env node
// Before starting or testing: are PostgreSQL and Redis reachable? Says plainly what to do if not.
// Usage: node scripts/check-services.js [--test]
const { Client } = require('pg');
const Redis = require('ioredis');

const testing = process.argv.includes('--test');
const postgresUrl = testing
  ? (process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  : (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recommendation_tracker');
const redisUrl = testing
  ? (process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379')
  : (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const HINT = 'Start both with: docker compose -f docker/compose.yml up -d postgres redis (or point the URL at yours).';

function where(url) {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

async function postgres() {
  // Connect to the server's maintenance database: the app's own database is created by the migration step.
  const url = new URL(postgresUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `PostgreSQL is not reachable at ${where(postgresUrl)} (${error.message}).`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redis() {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return `Redis is not reachable at ${where(redisUrl)} (${error.message}).`;
  } finally {
    client.disconnect();
  }
}

Promise.all([postgres(), redis()]).then((problems) => {
  const found = problems.filter(Boolean);
  if (found.length === 0) return;
  console.error(`\n${found.join('\n')}\n${HINT}\n`);
  process.exit(1);
});
