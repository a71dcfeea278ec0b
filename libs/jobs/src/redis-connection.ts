import IORedis, { RedisOptions } from 'ioredis';

/**
 * Connection options from a redis:// URL. Workers need `maxRetriesPerRequest: null` (BullMQ blocks on
 * commands); producers that must not hang while Redis is down pass `failFast`.
 */
export function redisOptions(url: string, { failFast = false }: { failFast?: boolean } = {}): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: failFast ? 1 : null,
    enableOfflineQueue: !failFast,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    connectTimeout: 5_000,
  };
}

export function createRedis(url: string, options: { failFast?: boolean; name?: string } = {}): IORedis {
  return new IORedis({ ...redisOptions(url, options), connectionName: options.name, lazyConnect: false });
}

/** BullMQ's production advice: keys must never be evicted. Returns the policy, or null if it cannot be read. */
export async function maxmemoryPolicy(redis: IORedis): Promise<string | null> {
  try {
    await whenReady(redis, 3_000);
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    return reply[1] ?? null;
  } catch {
    return null;
  }
}

/** Resolves when the connection is ready, or rejects after `ms` (fail-fast connections queue nothing meanwhile). */
export function whenReady(redis: IORedis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis not reachable within ${ms} ms`));
    }, ms);
    timer.unref();
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
