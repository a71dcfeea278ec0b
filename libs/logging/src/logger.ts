import { LoggerService } from '@nestjs/common';
import { FastifyReply, FastifyRequest, LogController } from 'fastify';
import pino, { Logger } from 'pino';
import { AppConfig } from '@rt/config';

export type ServiceName = 'api' | 'worker';

/**
 * The process's one pino logger: JSON lines, level labels, secrets redacted. Fastify uses it for requests
 * (every request line carries `requestId`), and Nest's own messages go through it via PinoNestLogger.
 */
export function createLogger(config: AppConfig, service: ServiceName): Logger {
  return pino({
    level: config.logLevel,
    base: { service },
    messageKey: 'msg',
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
        '*.password',
        '*.passwordHash',
        '*.password_hash',
        '*.accessToken',
        '*.tokenSecret',
      ],
      censor: '[redacted]',
    },
  });
}

/**
 * Fastify's request log lines, reshaped: nothing when a request arrives, one line when it completes (method,
 * URL, status, time taken, and the request's id via Fastify's child logger). Health probes are left out.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (request.url.startsWith('/health')) return;
    const fields = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}

/** Nest's messages (boot, services) through the same pino logger; `context` becomes a field. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    // Nest appends the logger's context last; before it may come a stack (errors) or a message (when the first
    // argument was an object of fields).
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const extra = (context === undefined ? rest : rest.slice(0, -1)).filter((r): r is string => typeof r === 'string');
    const stack = extra.find((r) => r.includes('\n    at '));
    const text = extra.find((r) => r !== stack);
    if (message instanceof Error) {
      this.logger[level]({ context, err: message }, text ?? message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...(message as object), ...(stack ? { stack } : {}) }, text ?? '');
    } else {
      this.logger[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}
