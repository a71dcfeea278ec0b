import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import type IORedis from 'ioredis';

type SetCallback = Parameters<SessionStore['set']>[2];
type GetCallback = Parameters<SessionStore['get']>[1];

/** @fastify/session's store over Redis: one JSON value per session, expiring after the idle timeout. */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: IORedis,
    private readonly keyPrefix: string,
    private readonly ttlSeconds: number,
  ) {}

  set(sessionId: string, session: Session, callback: SetCallback): void {
    this.redis.set(this.key(sessionId), JSON.stringify(session), 'EX', this.ttlSeconds).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  get(sessionId: string, callback: GetCallback): void {
    this.redis.get(this.key(sessionId)).then(
      (value) => callback(null, value ? (JSON.parse(value) as Session) : null),
      (error: Error) => callback(error, null),
    );
  }

  destroy(sessionId: string, callback: SetCallback): void {
    this.redis.del(this.key(sessionId)).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  private key(sessionId: string): string {
    return `${this.keyPrefix}${sessionId}`;
  }
}
