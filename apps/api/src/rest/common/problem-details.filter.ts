import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { describePostgresError } from '@rt/database';
import { DomainErrorCode, DomainException, FieldError } from '@rt/domain';
import { ValidationFailed } from './validation';

/** RFC 9457 problem details. `type` is a relative URI naming the kind of problem. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  rule?: string;
  errors?: FieldError[];
}

const DOMAIN_STATUS: Record<DomainErrorCode, { status: number; title: string }> = {
  unauthenticated: { status: 401, title: 'Unauthorized' },
  malformed: { status: 400, title: 'Bad request' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  invalid: { status: 422, title: 'Unprocessable content' },
  rule_violated: { status: 422, title: 'Unprocessable content' },
  conflict: { status: 409, title: 'Conflict' },
  stale: { status: 412, title: 'Precondition failed' },
  precondition_required: { status: 428, title: 'Precondition required' },
};

/**
 * Fastify's own refusals before Nest sees the request (body parsing, size, media type). Nest hands them on as
 * plain HttpExceptions, so they are recognised by status, and by message for the 400s.
 */
function bodyProblem(status: number, message: string): string | null {
  if (status === 413) return 'The request body is larger than 1 MB.';
  if (status === 415) return 'Send the request body as application/json.';
  if (status === 400 && /JSON|body/i.test(message)) return `The body is not a valid JSON object: ${message}`;
  return null;
}

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export function problem(
  status: number,
  title: string,
  detail: string,
  extra: Partial<ProblemDetails> = {},
): ProblemDetails {
  return { type: `/problems/${extra.rule ?? slug(title)}`, title, status, detail, ...extra };
}

export function toProblem(error: unknown, logger?: Logger): ProblemDetails {
  if (error instanceof ValidationFailed) {
    return problem(400, 'Bad request', 'The request has invalid fields.', {
      type: '/problems/validation',
      errors: error.errors,
    });
  }
  if (error instanceof DomainException) {
    const { status, title } = DOMAIN_STATUS[error.code];
    return problem(status, title, error.message, {
      ...(error.rule ? { rule: error.rule } : {}),
      ...(error.errors.length ? { errors: error.errors } : {}),
      ...(error.code === 'invalid' || error.code === 'malformed' ? { type: '/problems/validation' } : {}),
    });
  }
  const pg = describePostgresError(error);
  if (pg) {
    return problem(
      pg.status,
      pg.title,
      pg.detail,
      pg.field ? { errors: [{ field: pg.field, message: pg.detail }] } : {},
    );
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const parsing = bodyProblem(status, error.message);
    if (parsing) return problem(status, titleOf(status), parsing, { errors: [{ field: 'body', message: parsing }] });
    const body = error.getResponse();
    const detail =
      typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? error.message);
    return problem(status, titleOf(status), Array.isArray(detail) ? detail.join('; ') : String(detail));
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return problem(status, titleOf(status), (error as Error).message);
  }
  logger?.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return problem(500, 'Internal server error', 'Something went wrong on our side; it has been logged.');
}

function titleOf(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, body: ProblemDetails): void {
  if (body.status === 401) void reply.header('WWW-Authenticate', 'Bearer realm="recommendation-tracker"');
  void reply
    .status(body.status)
    .type('application/problem+json')
    .send({ ...body, instance: request.url });
}

/** The one place API errors become problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    sendProblem(ctx.getResponse<FastifyReply>(), ctx.getRequest<FastifyRequest>(), toProblem(error, this.logger));
  }
}
