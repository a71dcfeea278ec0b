import { createSecretKey } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { JwtService } from '@nestjs/jwt';
import { Pool, types } from 'pg';
import { Actor } from '@rt/domain/access/actor';
import { Capability, Role, roleHas } from '@rt/domain/access/roles';
import { ACTION_STATUSES, UpdateActionInput } from '@rt/domain/actions/action';
import { ACTOR_SQL } from '@rt/domain/auth/auth.service';
import { DomainErrorCode, DomainException } from '@rt/domain/shared/domain.exception';
import { getAction, listActions, ListFilter, updateAction } from './baseline-actions';

/*
 * The raw baseline: node:http and a pg Pool the size of the API's, no framework. Per request it does what the
 * API must do at the least: verify the same HS256 bearer token with the same library and options, look the
 * user up with the API's own ACTOR_SQL, check the role, run the same statements and answer the same JSON.
 *
 * Environment: DATABASE_URL, PORT, TOKEN_SECRET, POOL_SIZE (default 20, as the API's).
 */

// Same type parsers as libs/database/src/data-source-options.ts.
types.setTypeParser(types.builtins.DATE, (value: string) => value);
types.setTypeParser(types.builtins.INT8, (value: string) => Number(value));

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  application_name: 'bench-baseline',
  max: Number(process.env.POOL_SIZE ?? 20),
  connectionTimeoutMillis: 5_000,
  statement_timeout: 30_000,
  idle_in_transaction_session_timeout: 60_000,
});
pool.on('error', (error) => console.error(`pool error: ${error.message}`));

// As apps/api/src/rest/auth/token.service.ts configures it (the secret as a KeyObject made once).
const jwt = new JwtService({
  secret: createSecretKey(Buffer.from(process.env.TOKEN_SECRET ?? '', 'utf8')),
  verifyOptions: { algorithms: ['HS256'], issuer: 'recommendation-tracker' },
});
const BEARER = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ACTION_PATH = /^\/api\/v1\/actions\/([^/]+)$/;
const BODY_LIMIT = 1024 * 1024;

/** As apps/api/src/rest/common/problem-details.filter.ts maps them (codes added later answer 400 here). */
const STATUS: Partial<Record<DomainErrorCode, number>> = {
  unauthenticated: 401,
  malformed: 400,
  forbidden: 403,
  not_found: 404,
  invalid: 422,
  rule_violated: 422,
  conflict: 409,
  stale: 412,
  precondition_required: 428,
};

class BadRequest extends Error {}

interface ActorRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisation_id: string | null;
  portfolio: string[];
}

async function authenticate(req: IncomingMessage, capability: Capability): Promise<Actor> {
  const match = BEARER.exec(req.headers.authorization ?? '');
  let claims: { sub?: unknown; gen?: unknown } | null = null;
  if (match) {
    try {
      claims = jwt.verify(match[1]);
    } catch {
      claims = null;
    }
  }
  const valid = claims && typeof claims.sub === 'string' && Number.isInteger(claims.gen);
  const rows = valid ? (await pool.query<ActorRow>(ACTOR_SQL, [claims!.sub, claims!.gen])).rows : [];
  if (rows.length === 0) throw new DomainException('unauthenticated', 'Sign in: send a valid bearer token');
  const row = rows[0];
  const actor: Actor = {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    organisationId: row.organisation_id,
    portfolioOrganisationIds: row.portfolio,
  };
  if (!roleHas(actor.role, capability)) throw DomainException.forbidden(`your role (${actor.role}) cannot do this`);
  return actor;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': status < 400 ? 'application/json; charset=utf-8' : 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) reject(new BadRequest('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new BadRequest('the body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

const UPDATE_FIELDS = new Set([
  'title',
  'description',
  'ownerId',
  'dueDate',
  'status',
  'progress',
  'evidence',
  'comment',
]);

/** The checks a typed body needs at the least; the API's class-validator DTO does more. */
function updateInput(body: unknown): UpdateActionInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('body must be an object');
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) if (!UPDATE_FIELDS.has(key)) throw new BadRequest(`${key} is not allowed`);
  const p = input.progress;
  if (p !== undefined && (!Number.isInteger(p) || (p as number) < 0 || (p as number) > 100)) {
    throw new BadRequest('progress must be an integer from 0 to 100');
  }
  if (input.status !== undefined && !(ACTION_STATUSES as readonly unknown[]).includes(input.status)) {
    throw new BadRequest('status is not a status');
  }
  for (const key of ['title', 'description', 'ownerId', 'dueDate', 'evidence', 'comment']) {
    const v = input[key];
    if (v !== undefined && v !== null && typeof v !== 'string') throw new BadRequest(`${key} must be a string`);
  }
  return input as UpdateActionInput;
}

function ifMatch(header: string | undefined): number {
  if (!header || header.trim() === '') {
    throw new DomainException('precondition_required', 'send If-Match with the ETag from your last read');
  }
  const m = /^\s*"(\d{1,9})"\s*$/.exec(header);
  return m ? Number(m[1]) : -1;
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path === '/health') return send(res, 200, { status: 'ok' });

  if (path === '/api/v1/actions' && req.method === 'GET') {
    const actor = await authenticate(req, 'actions:read');
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const filter: ListFilter = {};
    for (const [key, value] of query) {
      if (key === 'owner') filter.ownerId = value === 'me' ? actor.id : value.toLowerCase();
      else if (key === 'overdue' && (value === 'true' || value === 'false')) filter.overdue = value === 'true';
      else if (key === 'limit' && /^\d{1,3}$/.test(value)) filter.limit = Number(value);
      else if (key === 'cursor') filter.cursor = value;
      else throw new BadRequest(`${key} is not supported by the baseline`);
    }
    return send(res, 200, await listActions(pool, actor, filter));
  }

  const m = ACTION_PATH.exec(path);
  if (m && (req.method === 'GET' || req.method === 'PATCH')) {
    const actor = await authenticate(req, req.method === 'GET' ? 'actions:read' : 'actions:update');
    if (!UUID.test(m[1])) throw new BadRequest('id must be a UUID');
    const id = m[1].toLowerCase();
    const view =
      req.method === 'GET'
        ? await getAction(pool, actor, id)
        : await updateAction(pool, actor, id, ifMatch(req.headers['if-match']), updateInput(await readJson(req)));
    return send(res, 200, view, { etag: `"${view.version}"` });
  }
  send(res, 404, { type: '/problems/not-found', title: 'Not found', status: 404, detail: 'no such route' });
}

const server = createServer((req, res) => {
  route(req, res).catch((error: unknown) => {
    if (error instanceof DomainException) {
      const status = STATUS[error.code] ?? 400;
      return send(res, status, { type: `/problems/${error.code}`, title: error.code, status, detail: error.message });
    }
    if (error instanceof BadRequest) {
      return send(res, 400, { type: '/problems/validation', title: 'Bad request', status: 400, detail: error.message });
    }
    console.error(error);
    send(res, 500, { type: '/problems/internal', title: 'Internal server error', status: 500, detail: 'see the log' });
  });
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 3100), '127.0.0.1', () => {
  console.log(`baseline listening on ${process.env.PORT ?? 3100}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    void pool.end().finally(() => process.exit(0));
  });
}
