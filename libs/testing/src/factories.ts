import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import {
  ActionStatus,
  hashPassword,
  OrganisationKind,
  Priority,
  RecommendationResponse,
  Region,
  Role,
  Theme,
} from '@rt/domain';

/** Factories write straight to the database, for arranging a test; the behaviour under test goes through the app. */
export const TEST_PASSWORD = 'correct horse battery staple';

let passwordHash: Promise<string> | undefined;
const testPasswordHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD));

const unique = () => randomBytes(3).toString('hex');

export class Factories {
  constructor(readonly pool: Pool) {}

  async organisation(
    o: Partial<{
      name: string;
      kind: OrganisationKind;
      region: Region;
      status: 'active' | 'dissolved';
      dissolvedOn: string;
    }> = {},
  ): Promise<{ id: string; name: string }> {
    const name = o.name ?? `Test Probation Trust ${unique()}`;
    const { rows } = await this.pool.query(
      `INSERT INTO organisations (name, kind, region, status, dissolved_on) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [name, o.kind ?? 'probation_trust', o.region ?? 'south_east', o.status ?? 'active', o.dissolvedOn ?? null],
    );
    return { id: rows[0].id, name };
  }

  async inspectorate(): Promise<{ id: string; name: string }> {
    return this.organisation({ name: `Test Inspectorate ${unique()}`, kind: 'inspectorate', region: 'national' });
  }

  async user(
    u: Partial<{
      email: string;
      name: string;
      role: Role;
      organisationId: string | null;
      active: boolean;
      portfolio: string[];
    }> = {},
  ): Promise<{ id: string; email: string; password: string }> {
    const role = u.role ?? 'senior_manager';
    const email = u.email ?? `${role.replace('_', '.')}.${unique()}@example.org`;
    const { rows } = await this.pool.query(
      `INSERT INTO users (email, name, role, organisation_id, password_hash, active) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id`,
      [
        email,
        u.name ?? `Test ${role} ${unique()}`,
        role,
        u.organisationId ?? null,
        await testPasswordHash(),
        u.active ?? true,
      ],
    );
    for (const organisationId of u.portfolio ?? []) {
      await this.pool.query(`INSERT INTO portfolios (user_id, organisation_id) VALUES ($1, $2)`, [
        rows[0].id,
        organisationId,
      ]);
    }
    return { id: rows[0].id, email, password: TEST_PASSWORD };
  }

  async inspection(i: { organisationId: string; inspectorateId: string; title?: string; publishedOn?: string }) {
    const { rows } = await this.pool.query(
      `INSERT INTO inspections (organisation_id, inspectorate_id, title, programme, published_on)
       VALUES ($1, $2, $3, 'Inspection of Adult Offending Work', $4) RETURNING id`,
      [i.organisationId, i.inspectorateId, i.title ?? `Inspection ${unique()}`, i.publishedOn ?? '2014-03-01'],
    );
    return { id: rows[0].id as string };
  }

  async recommendation(r: {
    inspectionId: string;
    ownerOrganisationId: string;
    reference?: string;
    theme?: Theme;
    priority?: Priority;
    response?: RecommendationResponse;
    responseRationale?: string;
  }) {
    const { rows } = await this.pool.query(
      `INSERT INTO recommendations (inspection_id, ordinal, reference, text, theme, priority, owner_organisation_id,
         response, response_rationale)
       VALUES ($1, (SELECT coalesce(max(ordinal), 0) + 1 FROM recommendations WHERE inspection_id = $1), $2, $3, $4,
         $5, $6, $7, $8)
       RETURNING id`,
      [
        r.inspectionId,
        r.reference ?? `R${unique()}`,
        'Improve the management of risk of harm to others.',
        r.theme ?? 'risk_of_harm',
        r.priority ?? 'high',
        r.ownerOrganisationId,
        r.response ?? 'accepted',
        r.responseRationale ?? null,
      ],
    );
    return { id: rows[0].id as string };
  }

  async action(a: {
    recommendationId: string;
    ownerId?: string | null;
    dueDate: string;
    status?: ActionStatus;
    progress?: number;
    title?: string;
  }) {
    const { rows } = await this.pool.query(
      `INSERT INTO actions (recommendation_id, inspection_id, organisation_id, title, owner_id, due_date, original_due_date,
         status, progress)
       SELECT r.id, r.inspection_id, r.owner_organisation_id, $2, $3, $4, $4, $5, $6 FROM recommendations r WHERE r.id = $1
       RETURNING id`,
      [
        a.recommendationId,
        a.title ?? `Action ${unique()}`,
        a.ownerId ?? null,
        a.dueDate,
        a.status ?? 'not_started',
        a.progress ?? 0,
      ],
    );
    return { id: rows[0].id as string };
  }

  /**
   * A whole organisation ready to use: inspectorate, organisation, a senior manager, a viewer, an inspection with
   * one recommendation and one action owned by the senior manager.
   */
  async world(opts: { dueDate?: string; region?: Region } = {}) {
    const inspectorate = await this.inspectorate();
    const organisation = await this.organisation({ region: opts.region });
    const manager = await this.user({ role: 'senior_manager', organisationId: organisation.id });
    const viewer = await this.user({ role: 'viewer', organisationId: organisation.id });
    const inspection = await this.inspection({ organisationId: organisation.id, inspectorateId: inspectorate.id });
    const recommendation = await this.recommendation({
      inspectionId: inspection.id,
      ownerOrganisationId: organisation.id,
    });
    const action = await this.action({
      recommendationId: recommendation.id,
      ownerId: manager.id,
      dueDate: opts.dueDate ?? '2030-01-31',
    });
    return { inspectorate, organisation, manager, viewer, inspection, recommendation, action };
  }
}
