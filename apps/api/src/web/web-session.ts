import 'fastify';

/** What a web session holds (in Redis, keyed by the signed session cookie). */
declare module 'fastify' {
  interface Session {
    userId?: string;
    /** The user's token generation at sign-in: a password change or disabling ends the session too. */
    tokenGeneration?: number;
    /** Epoch ms of the last request, for the idle timeout. */
    lastSeenAt?: number;
    _csrf?: string;
    /** A one-time message for the next page ("Action updated"). */
    flash?: string;
  }
}

export const SESSION_COOKIE = 'rt_session';
