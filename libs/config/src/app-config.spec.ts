import { AppConfig, ConfigError, loadConfig } from './app-config';

/** Production settings that pass, so each test can spoil one thing. */
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://tracker:db-pass-1234@db.internal:5432/tracker',
  REDIS_URL: 'redis://:redis-pass-5678@redis.internal:6379',
  SMTP_URL: 'smtps://mailer:smtp-pass-9012@smtp.internal:465',
  APP_BASE_URL: 'https://tracker.example.org/',
  TOKEN_SECRET: 'a-production-secret-that-is-long-enough-0123456789',
};

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('gives working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toBeInstanceOf(AppConfig);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/recommendation_tracker',
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: '{rt}',
      smtpUrl: 'smtp://127.0.0.1:1025',
      port: 3000,
      workerPort: 3001,
      appBaseUrl: 'http://localhost:3000',
      admin: null,
      seedDemo: false,
      tokenTtlSeconds: 8 * 3600,
      logLevel: 'info',
      outboxPollMs: 250,
    });
    expect(config.tokenSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '', SEED_DEMO: '' })).toMatchObject({
      port: 3000,
      logLevel: 'info',
      seedDemo: false,
    });
  });

  it('reads numbers, booleans and the first admin from strings', () => {
    const config = loadConfig({
      PORT: '8080',
      WORKER_PORT: '0',
      SEED_DEMO: 'yes',
      OUTBOX_POLL_MS: '50',
      ADMIN_EMAIL: 'admin@example.org',
      ADMIN_PASSWORD: 'a-long-admin-password',
      APP_BASE_URL: 'http://tracker.test//',
    });
    expect(config).toMatchObject({
      port: 8080,
      workerPort: 0,
      seedDemo: true,
      outboxPollMs: 50,
      admin: { email: 'admin@example.org', password: 'a-long-admin-password' },
      appBaseUrl: 'http://tracker.test',
    });
    expect(loadConfig({ SEED_DEMO: 'FALSE' }).seedDemo).toBe(false);
  });

  it('names every bad variable in one error', () => {
    const error = configError({
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      QUEUE_PREFIX: 'rt',
      REDIS_URL: 'localhost:6379',
      SEED_DEMO: 'maybe',
    });
    const named = (name: string) => error.problems.some((p) => p.startsWith(`${name} `));
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'QUEUE_PREFIX', 'REDIS_URL', 'SEED_DEMO']) {
      expect(named(name)).toBe(true);
      expect(error.message).toContain(name);
    }
    expect(error.problems.every((p) => /^[A-Z_]+ /.test(p))).toBe(true);
    expect(error.message).toContain('must be a hash-tagged prefix such as {rt}');
    expect(error.message).toContain('must be a postgres:// connection URL');
    expect(error.message).toContain('"loud"');
    expect(error.message.startsWith('Invalid configuration:')).toBe(true);
  });

  it.each([
    ['a port out of range', { PORT: '70000' }, 'PORT'],
    ['a negative port', { WORKER_PORT: '-1' }, 'WORKER_PORT'],
    ['a fractional port', { PORT: '80.5' }, 'PORT'],
    ['an app URL without a scheme', { APP_BASE_URL: 'tracker.example.org' }, 'APP_BASE_URL'],
    ['an SMTP URL of another scheme', { SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    ['an unknown NODE_ENV', { NODE_ENV: 'staging' }, 'NODE_ENV'],
    ['a too-short token secret', { TOKEN_SECRET: 'short' }, 'TOKEN_SECRET'],
    ['a token lifetime under a minute', { TOKEN_TTL_SECONDS: '5' }, 'TOKEN_TTL_SECONDS'],
    ['a relay poll faster than 10 ms', { OUTBOX_POLL_MS: '1' }, 'OUTBOX_POLL_MS'],
    [
      'an admin email that is not one',
      { ADMIN_EMAIL: 'admin', ADMIN_PASSWORD: 'a-long-admin-password' },
      'ADMIN_EMAIL',
    ],
    ['an admin without a password', { ADMIN_EMAIL: 'admin@example.org' }, 'ADMIN_PASSWORD'],
    ['a short admin password', { ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
  ])('refuses %s', (_, env, name) => {
    expect(configError(env).problems.map((p) => p.split(' ')[0])).toEqual(expect.arrayContaining([name]));
  });

  describe('in production', () => {
    it('starts with everything set', () => {
      const config = loadConfig(PRODUCTION);
      expect(config).toMatchObject({ nodeEnv: 'production', appBaseUrl: 'https://tracker.example.org' });
    });

    it('requires the addresses and the token secret, naming each', () => {
      const error = configError({ NODE_ENV: 'production' });
      for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'APP_BASE_URL', 'TOKEN_SECRET']) {
        expect(error.problems).toContain(`${name} must be set in production`);
      }
    });

    it.each(['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'APP_BASE_URL', 'TOKEN_SECRET'] as const)(
      'refuses to start without %s',
      (name) => {
        const env: Record<string, string> = { ...PRODUCTION };
        delete env[name];
        expect(configError(env).problems).toEqual(expect.arrayContaining([`${name} must be set in production`]));
      },
    );

    it('refuses the development token secret, even when set explicitly', () => {
      const error = configError({ ...PRODUCTION, TOKEN_SECRET: 'dev-only-token-secret-change-me-in-production' });
      expect(error.problems).toEqual(['TOKEN_SECRET must not be the development default']);
    });
  });

  describe('never prints a secret', () => {
    const leaks = (error: ConfigError, secrets: string[]) => secrets.filter((s) => error.message.includes(s));

    it('hides a bad token secret and admin password', () => {
      const error = configError({
        TOKEN_SECRET: 'hunter2-short',
        ADMIN_EMAIL: 'a@example.org',
        ADMIN_PASSWORD: 'pw-9',
      });
      expect(error.message).toContain('TOKEN_SECRET');
      expect(error.message).toContain('ADMIN_PASSWORD');
      expect(leaks(error, ['hunter2-short', 'pw-9'])).toEqual([]);
    });

    it('hides passwords inside connection URLs that are refused', () => {
      const error = configError({
        DATABASE_URL: 'mysql://tracker:db-pass-1234@db.internal/tracker',
        REDIS_URL: 'http://:redis-pass-5678@redis.internal:6379',
        SMTP_URL: 'mail://mailer:smtp-pass-9012@smtp.internal',
      });
      expect(error.problems.map((p) => p.split(' ')[0])).toEqual(['DATABASE_URL', 'REDIS_URL', 'SMTP_URL']);
      expect(leaks(error, ['db-pass-1234', 'redis-pass-5678', 'smtp-pass-9012'])).toEqual([]);
      // What is left still helps: the scheme and host show what was wrong.
      expect(error.message).toContain('mysql://tracker:');
      expect(error.message).toContain('@db.internal/tracker');
      expect(error.message).toContain('"http://:(hidden)@redis.internal:6379"');
    });

    it('hides production secrets when something else is wrong', () => {
      const error = configError({ ...PRODUCTION, PORT: 'http', LOG_LEVEL: 'verbose' });
      expect(new Set(error.problems.map((p) => p.split(' ')[0]))).toEqual(new Set(['LOG_LEVEL', 'PORT']));
      expect(leaks(error, ['db-pass-1234', 'redis-pass-5678', 'smtp-pass-9012', PRODUCTION.TOKEN_SECRET])).toEqual([]);
    });
  });
});
