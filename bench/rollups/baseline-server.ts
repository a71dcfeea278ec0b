import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import { JwtService } from '@nestjs/jwt';
import { Pool, types } from 'pg';
import { Actor } from '@rt/domain/access/actor';
import { Role } from '@rt/domain/access/roles';
import { ACTOR_SQL } from '@rt/domain/auth/auth.service';
import { RollupGroupBy } from '@rt/domain/rollups/rollup';
import { RollupsService } from '@rt/domain/rollups/rollups.service';
import { SystemClock } from '@rt/domain/shared/clock';
import { poolDataSource } from '../shared/pool-data-source';

/*
 * The raw baseline for roll-up reads: node:http and a pg Pool, no framework. Per request: verify the HS256 token,
 * look the user up with the API's ACTOR_SQL, then read and add up the same roll-up rows with the domain's own
 * statement and arithmetic (RollupsService on the bare pool), and answer the same JSON.
 */
types.setTypeParser(types.builtins.DATE, (value: string) => value);
types.setTypeParser(types.builtins.INT8, (value: string) => Number(value));

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  application_name: 'bench-rollups-baseline',
  max: Number(process.env.POOL_SIZE ?? 20),
});
pool.on('error', (error) => console.error(`pool error: ${error.message}`));
const rollups = new RollupsService(poolDataSource(pool), new SystemClock());
const jwt = new JwtService({
  secret: createSecretKey(Buffer.from(process.env.TOKEN_SECRET ?? '', 'utf8')),
  verifyOptions: { algorithms: ['HS256'], issuer: 'recommendation-tracker' },
});
const BEARER = /^Bearer (.+)$/;

async function actorOf(header: string | undefined): Promise<Actor | null> {
  const match = BEARER.exec(header ?? '');
  if (!match) return null;
  let claims: { sub: string; gen: number };
  try {
    claims = jwt.verify(match[1]);
  } catch {
    return null;
  }
  const { rows } = await pool.query(ACTOR_SQL, [claims.sub, claims.gen]);
  if (rows.length === 0) return null;
  const r = rows[0] as {
    id: string;
    email: string;
    name: string;
    role: Role;
    organisation_id: string | null;
    portfolio: string[];
  };
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    organisationId: r.organisation_id,
    portfolioOrganisationIds: r.portfolio,
  };
}

createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/health') return void res.end('{"status":"ok"}');
    const actor = await actorOf(req.headers.authorization);
    if (!actor) {
      res.writeHead(401).end();
      return;
    }
    const body = await rollups.list(actor, url.searchParams.get('groupBy') as RollupGroupBy, {});
    const json = JSON.stringify(body);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
    });
    res.end(json);
  })().catch((error: Error) => {
    res.writeHead(500).end(error.message);
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
