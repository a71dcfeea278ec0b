import IORedis from 'ioredis';
import request from 'supertest';
import { AppConfig } from '@rt/config';
import { TEST_PASSWORD } from '@rt/testing';
import { ApiHarness } from './api-harness';

type Agent = ReturnType<typeof request.agent>;

/** The CSRF token of the first form on a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

/** A browser without JavaScript: keeps its cookies, reads each form's CSRF token before posting it. */
export class WebClient {
  readonly agent: Agent;

  constructor(api: ApiHarness) {
    const address = api.app.getHttpServer().address() as { port: number };
    this.agent = request.agent(`http://127.0.0.1:${address.port}`);
  }

  get(path: string) {
    return this.agent.get(path);
  }

  /** Opens `from` (default: the form's own path), then posts the form with that page's CSRF token. */
  async submit(path: string, fields: Record<string, string | string[]>, from = path) {
    const page = await this.agent.get(from);
    return this.agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfOf(page.text), ...fields });
  }

  async signIn(user: { email: string; password?: string }, returnTo?: string) {
    return this.submit(
      '/sign-in',
      { email: user.email, password: user.password ?? TEST_PASSWORD, ...(returnTo ? { returnTo } : {}) },
      '/sign-in',
    );
  }
}

/** Removes the web layer's Redis keys (sessions, sign-in failures) made under this test's own prefix. */
export async function removeWebKeys(config: AppConfig): Promise<void> {
  const redis = new IORedis(config.redisUrl);
  try {
    const pattern = `${config.queuePrefix}:web:*`.replace(/[{}[\]]/g, (c) => `\\${c}`);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Moves the last request of every web session of this test back by `ms` (to test the idle timeout). */
export async function ageWebSessions(config: AppConfig, ms: number): Promise<void> {
  const redis = new IORedis(config.redisUrl);
  try {
    const pattern = `${config.queuePrefix}:web:session:*`.replace(/[{}[\]]/g, (c) => `\\${c}`);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const session = JSON.parse((await redis.get(key)) ?? '{}') as { lastSeenAt?: number };
        if (session.lastSeenAt) {
          session.lastSeenAt -= ms;
          await redis.set(key, JSON.stringify(session), 'KEEPTTL');
        }
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
