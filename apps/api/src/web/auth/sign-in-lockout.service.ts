import { createHash } from 'node:crypto';
import type IORedis from 'ioredis';

export const MAX_SIGN_IN_FAILURES = 5;
export const LOCKOUT_WINDOW_SECONDS = 15 * 60;

/**
 * Failed sign-ins per email in Redis: after MAX_SIGN_IN_FAILURES within the window the email is locked until the
 * window (counted from the first failure) ends. Keyed by a hash of whatever was typed, so an email that does not
 * exist locks exactly like one that does, and no address is stored in clear.
 */
export class SignInLockout {
  constructor(
    private readonly redis: IORedis,
    private readonly keyPrefix: string,
  ) {}

  async isLocked(email: string): Promise<boolean> {
    const count = await this.redis.get(this.key(email));
    return Number(count ?? 0) >= MAX_SIGN_IN_FAILURES;
  }

  /** Records a failure; true when this one locks the email. */
  async recordFailure(email: string): Promise<boolean> {
    const key = this.key(email);
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, LOCKOUT_WINDOW_SECONDS, 'NX').exec()) as [
      [Error | null, number],
      [Error | null, number],
    ];
    return count >= MAX_SIGN_IN_FAILURES;
  }

  async clear(email: string): Promise<void> {
    await this.redis.del(this.key(email));
  }

  private key(email: string): string {
    return this.keyPrefix + createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
  }
}
