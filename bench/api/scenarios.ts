import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type autocannon from 'autocannon';
import { Pool } from 'pg';

/** How many of each the load draws from. */
export const FIXTURE_SIZES = { listUsers: 3_000, readPairs: 20_000, writeActions: 40_000 } as const;

export type ScenarioKey = 'a' | 'b' | 'c';

export interface Scenario {
  key: ScenarioKey;
  title: string;
  /** Called before each autocannon run (warm-up and measured): e.g. re-read action versions. */
  prepare(): Promise<void>;
  requests(): autocannon.RequestDefinition[];
  /** Responses the scenario counted itself during the last run (PATCH: 412s). */
  counters(): { stale: number; other: number };
}

interface SeniorManager {
  id: string;
  organisationId: string;
  tokenGeneration: number;
}

interface WriteTarget {
  id: string;
  token: string;
  version: number;
  progress: number;
  busy: boolean;
  stale: boolean;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Bearer tokens as apps/api/src/rest/auth/token.service.ts issues them: HS256, {sub, gen}, same issuer. */
export class TokenMinter {
  private readonly jwt: JwtService;
  private readonly cache = new Map<string, string>();

  constructor(secret: string) {
    this.jwt = new JwtService({
      secret: createSecretKey(Buffer.from(secret, 'utf8')),
      signOptions: { algorithm: 'HS256', expiresIn: 8 * 3600, issuer: 'recommendation-tracker' },
    });
  }

  tokenFor(user: { id: string; tokenGeneration: number }): string {
    let token = this.cache.get(user.id);
    if (!token) {
      token = this.jwt.sign({ sub: user.id, gen: user.tokenGeneration });
      this.cache.set(user.id, token);
    }
    return token;
  }
}

export interface Fixtures {
  listUsers: { id: string; token: string }[];
  readPairs: { id: string; token: string; userId: string }[];
  writeTargets: WriteTarget[];
}

/** Random senior managers, random actions each paired with a senior manager of its organisation, and in-progress actions with their owners. */
export async function loadFixtures(db: Pool, tokens: TokenMinter): Promise<Fixtures> {
  const { rows: managers } = await db.query<SeniorManager>(
    `SELECT id, organisation_id AS "organisationId", token_generation AS "tokenGeneration"
     FROM users WHERE role = 'senior_manager' AND active`,
  );
  const byId = new Map(managers.map((m) => [m.id, m]));
  const byOrganisation = new Map<string, SeniorManager[]>();
  for (const m of managers) {
    const list = byOrganisation.get(m.organisationId) ?? [];
    list.push(m);
    byOrganisation.set(m.organisationId, list);
  }

  const listUsers = shuffle([...managers])
    .slice(0, FIXTURE_SIZES.listUsers)
    .map((m) => ({ id: m.id, token: tokens.tokenFor(m) }));

  const { rows: sampled } = await db.query<{ id: string; organisation_id: string }>(
    `SELECT id, organisation_id FROM actions TABLESAMPLE BERNOULLI (4) LIMIT ${FIXTURE_SIZES.readPairs}`,
  );
  const readPairs = sampled.map((a) => {
    const reader = pick(byOrganisation.get(a.organisation_id)!);
    return { id: a.id, token: tokens.tokenFor(reader), userId: reader.id };
  });

  const { rows: writable } = await db.query<{ id: string; owner_id: string; version: number; progress: number }>(
    `SELECT id, owner_id, version, progress FROM actions TABLESAMPLE BERNOULLI (20)
     WHERE status = 'in_progress' AND owner_id IS NOT NULL LIMIT ${FIXTURE_SIZES.writeActions}`,
  );
  const writeTargets = shuffle(
    writable.map((a) => ({
      id: a.id,
      token: tokens.tokenFor(byId.get(a.owner_id)!),
      version: a.version,
      progress: a.progress,
      busy: false,
      stale: false,
    })),
  );
  return { listUsers, readPairs, writeTargets };
}

/** (a) `GET /api/v1/actions?owner=me&overdue=true` as random senior managers. */
export function myOverdueActions(fixtures: Fixtures): Scenario {
  return {
    key: 'a',
    title: 'GET /api/v1/actions?owner=me&overdue=true',
    prepare: async () => undefined,
    requests: () => [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: '/api/v1/actions?owner=me&overdue=true',
          headers: { authorization: `Bearer ${pick(fixtures.listUsers).token}` },
        }),
      },
    ],
    counters: () => ({ stale: 0, other: 0 }),
  };
}

/** (b) `GET /api/v1/actions/{id}` for random actions, each read by a senior manager of its organisation. */
export function readAction(fixtures: Fixtures): Scenario {
  return {
    key: 'b',
    title: 'GET /api/v1/actions/{id}',
    prepare: async () => undefined,
    requests: () => [
      {
        method: 'GET',
        setupRequest: (request) => {
          const pair = pick(fixtures.readPairs);
          return { ...request, path: `/api/v1/actions/${pair.id}`, headers: { authorization: `Bearer ${pair.token}` } };
        },
      },
    ],
    counters: () => ({ stale: 0, other: 0 }),
  };
}

function etagVersion(headers: Record<string, string | string[]>): number | null {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'etag') continue;
    const m = /"(\d+)"/.exec(Array.isArray(value) ? value[0] : value);
    return m ? Number(m[1]) : null;
  }
  return null;
}

/**
 * (c) `PATCH /api/v1/actions/{id}` with If-Match, a progress change and a comment, by the action's owner. No
 * two requests in flight touch the same action, and each carries the version its ETag last reported, so a 412
 * means the server lost track of a version (counted, never expected).
 */
export function updateProgress(fixtures: Fixtures, db: Pool): Scenario {
  const targets = fixtures.writeTargets;
  let cursor = 0;
  let stale = 0;
  let other = 0;

  const next = (): WriteTarget => {
    for (let tries = 0; tries < targets.length; tries++) {
      const target = targets[cursor];
      cursor = (cursor + 1) % targets.length;
      if (!target.busy && !target.stale) return target;
    }
    throw new Error('no action free to update');
  };

  return {
    key: 'c',
    title: 'PATCH /api/v1/actions/{id} (progress + comment)',
    async prepare() {
      // Requests cut off at the end of the last run may still have committed: re-read every version.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { rows } = await db.query<{ id: string; version: number; progress: number }>(
        `SELECT id, version, progress FROM actions WHERE id = ANY($1::uuid[])`,
        [targets.map((t) => t.id)],
      );
      const current = new Map(rows.map((r) => [r.id, r]));
      for (const t of targets) {
        const row = current.get(t.id)!;
        t.version = row.version;
        t.progress = row.progress;
        t.busy = false;
        t.stale = false;
      }
      stale = 0;
      other = 0;
    },
    requests: () => [
      {
        method: 'PATCH',
        setupRequest: (request, context) => {
          const target = next();
          target.busy = true;
          const progress = target.progress < 95 ? target.progress + 1 + Math.floor(Math.random() * 3) : 10;
          context.target = target;
          context.progress = progress;
          return {
            ...request,
            path: `/api/v1/actions/${target.id}`,
            headers: {
              authorization: `Bearer ${target.token}`,
              'content-type': 'application/json',
              'if-match': `"${target.version}"`,
            },
            body: JSON.stringify({ progress, comment: 'Progress reviewed at the monthly action plan meeting' }),
          };
        },
        onResponse: (status, _body, context, headers) => {
          const target = context.target as WriteTarget | undefined;
          if (!target) return;
          target.busy = false;
          if (status === 200) {
            const version = etagVersion(headers);
            if (version === null) target.stale = true;
            else target.version = version;
            target.progress = context.progress as number;
          } else {
            target.stale = true;
            if (status === 412) stale++;
            else other++;
          }
        },
      },
    ],
    counters: () => ({ stale, other }),
  };
}
