import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
  ValidationError,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'test', 'production'] as const;

const DEV_TOKEN_SECRET = 'dev-only-token-secret-change-me-in-production';

const toBoolean = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['true', '1', 'yes'].includes(String(value).toLowerCase())
      ? true
      : ['false', '0', 'no'].includes(String(value).toLowerCase())
        ? false
        : value;
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;

/** The environment, as read. Every variable is documented in `.env.example`. */
class EnvironmentVariables {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// connection URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/recommendation_tracker';

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// connection URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** BullMQ key prefix; braces make it a Redis Cluster hash tag so a queue's keys share one slot. */
  @Matches(/^\{[A-Za-z0-9:_-]+\}$/, { message: 'must be a hash-tagged prefix such as {rt}' })
  QUEUE_PREFIX = '{rt}';

  @Matches(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Recommendation Tracker <no-reply@recommendation-tracker.example.org>';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT = 3001;

  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  APP_BASE_URL = 'http://localhost:3000';

  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  @ValidateIf((env: EnvironmentVariables) => env.ADMIN_PASSWORD !== undefined || env.ADMIN_EMAIL !== undefined)
  @IsString({ message: 'must be set when ADMIN_EMAIL is set' })
  @MinLength(12)
  ADMIN_PASSWORD?: string;

  @Transform(toBoolean)
  @IsBoolean()
  SEED_DEMO = false;

  @IsString()
  @MinLength(8)
  DEMO_PASSWORD = 'demo-password-2014';

  @IsString()
  @MinLength(32)
  TOKEN_SECRET = DEV_TOKEN_SECRET;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  TOKEN_TTL_SECONDS = 8 * 3600;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Connections the worker's pooled SMTP transport keeps open. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  SMTP_MAX_CONNECTIONS = 5;

  /** Emails per second the worker sends at most (BullMQ rate limit across workers). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  EMAIL_RATE_PER_SECOND = 500;

  /** Emails one worker sends at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  EMAIL_CONCURRENCY = 20;

  /** Attempts per email before it is logged as failed, and the first retry's delay (doubling each time). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  EMAIL_ATTEMPTS = 8;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  EMAIL_RETRY_DELAY_MS = 5_000;

  /** How long before a job held by a worker that died (SIGKILL) is handed to another worker. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(600_000)
  JOB_STALLED_INTERVAL_MS = 30_000;

  /** How often the worker looks for unsent outbox rows when the last look found none. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_MS = 250;

  /** Roll-ups: how long the first change to an organisation waits for others before its cells are recomputed. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  ROLLUP_DEBOUNCE_MS = 500;

  /** Web pages: a signed-in session ends after this many minutes without a request. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  WEB_SESSION_IDLE_MINUTES = 30;
}

export type NodeEnv = (typeof NODE_ENVS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Typed configuration, validated once at boot. */
export class AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly smtpUrl: string;
  readonly mailFrom: string;
  readonly port: number;
  readonly workerPort: number;
  readonly appBaseUrl: string;
  readonly admin: { email: string; password: string } | null;
  readonly seedDemo: boolean;
  readonly demoPassword: string;
  readonly tokenSecret: string;
  readonly tokenTtlSeconds: number;
  readonly logLevel: LogLevel;
  readonly outboxPollMs: number;
  readonly smtpMaxConnections: number;
  readonly emailRatePerSecond: number;
  readonly emailConcurrency: number;
  readonly emailAttempts: number;
  readonly emailRetryDelayMs: number;
  readonly jobStalledIntervalMs: number;
  readonly rollupDebounceMs: number;
  readonly webSessionIdleMinutes: number;

  constructor(values: Omit<AppConfig, never>) {
    Object.assign(this, values);
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A refused value as it may be printed: secrets hidden, including the password in a connection URL. */
function shownValue(property: string, value: unknown): string {
  if (/SECRET|PASSWORD/.test(property)) return '(hidden)';
  if (typeof value !== 'string') return JSON.stringify(value);
  return JSON.stringify(value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):.*@/i, '$1:(hidden)@'));
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((message) => {
      const shown = shownValue(e.property, e.value);
      return `${e.property} ${message.replace(new RegExp(`^${e.property}\\s*`), '')} (got ${shown})`;
    }),
  );
}

/**
 * Reads and validates the environment. Development gets working defaults; production must set its
 * secrets and addresses explicitly. Throws a ConfigError naming every bad variable at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const vars = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const problems = flatten(validateSync(vars, { whitelist: false, forbidUnknownValues: false }));

  if (vars.NODE_ENV === 'production') {
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'APP_BASE_URL', 'TOKEN_SECRET'] as const) {
      if (!raw[name]) problems.push(`${name} must be set in production`);
    }
    if (vars.TOKEN_SECRET === DEV_TOKEN_SECRET) problems.push('TOKEN_SECRET must not be the development default');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return new AppConfig({
    nodeEnv: vars.NODE_ENV,
    databaseUrl: vars.DATABASE_URL,
    redisUrl: vars.REDIS_URL,
    queuePrefix: vars.QUEUE_PREFIX,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM,
    port: vars.PORT,
    workerPort: vars.WORKER_PORT,
    appBaseUrl: vars.APP_BASE_URL.replace(/\/+$/, ''),
    admin: vars.ADMIN_EMAIL && vars.ADMIN_PASSWORD ? { email: vars.ADMIN_EMAIL, password: vars.ADMIN_PASSWORD } : null,
    seedDemo: vars.SEED_DEMO,
    demoPassword: vars.DEMO_PASSWORD,
    tokenSecret: vars.TOKEN_SECRET,
    tokenTtlSeconds: vars.TOKEN_TTL_SECONDS,
    logLevel: vars.LOG_LEVEL,
    outboxPollMs: vars.OUTBOX_POLL_MS,
    smtpMaxConnections: vars.SMTP_MAX_CONNECTIONS,
    emailRatePerSecond: vars.EMAIL_RATE_PER_SECOND,
    emailConcurrency: vars.EMAIL_CONCURRENCY,
    emailAttempts: vars.EMAIL_ATTEMPTS,
    emailRetryDelayMs: vars.EMAIL_RETRY_DELAY_MS,
    jobStalledIntervalMs: vars.JOB_STALLED_INTERVAL_MS,
    rollupDebounceMs: vars.ROLLUP_DEBOUNCE_MS,
    webSessionIdleMinutes: vars.WEB_SESSION_IDLE_MINUTES,
  });
}
