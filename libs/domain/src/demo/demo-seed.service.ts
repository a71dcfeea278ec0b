import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { poolReader, Queryable } from '../shared/sql';
import { DataSource, EntityManager } from 'typeorm';
import { ActionStatus, FieldChange } from '../actions/action';
import { ActionState, planActionUpdate } from '../actions/action-rules';
import { Role } from '../access/roles';
import { Clock } from '../shared/clock';
import { addDays, londonDateOf } from '../shared/dates';
import { hashPassword } from '../users/passwords';
import {
  DEMO_ORGANISATIONS,
  DEMO_USERS,
  DemoAction,
  DemoDate,
  DemoInspection,
  ILLUSTRATIVE_INSPECTIONS,
  KENT_INSPECTION,
} from './demo-story';

export interface DemoSignIn {
  email: string;
  role: Role;
  name: string;
}

/**
 * Loads the demo story into an empty database, in one transaction. History rows carry the dates of the story
 * and every status change goes through the same rules as the API (planActionUpdate), so the demo never shows a
 * state the product could not reach.
 */
@Injectable()
export class DemoSeedService {
  private readonly read: Queryable;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {
    this.read = poolReader(db);
  }

  /** Seeds when no organisation exists yet; returns whether it did. Safe to call from several processes. */
  async seedIfEmpty(password: string): Promise<boolean> {
    const passwordHash = await hashPassword(password);
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('demo:seed'))`);
      const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM organisations`);
      if (count > 0) return false;
      await new DemoLoader(manager, londonDateOf(this.clock.now()), passwordHash).load();
      return true;
    });
  }

  /** The demo sign-ins present in this database (they share the demo password). */
  async signIns(): Promise<DemoSignIn[]> {
    const emails = DEMO_USERS.map((u) => u.email);
    const rows: DemoSignIn[] = await this.read.query(
      `SELECT email, role, name FROM users WHERE email = ANY($1::text[]) AND active ORDER BY role, name`,
      [emails],
    );
    return rows;
  }
}

class DemoLoader {
  private readonly organisations = new Map<string, string>();
  private readonly users = new Map<string, { id: string; role: Role }>();

  constructor(
    private readonly m: EntityManager,
    private readonly today: string,
    private readonly passwordHash: string,
  ) {}

  async load(): Promise<void> {
    for (const o of DEMO_ORGANISATIONS) {
      const [{ id }] = await this.m.query(
        `INSERT INTO organisations (name, kind, region, created_at, updated_at)
         VALUES ($1, $2, $3, '2013-04-01', '2013-04-01') RETURNING id`,
        [o.name, o.kind, o.region],
      );
      this.organisations.set(o.key, id);
    }
    for (const u of DEMO_USERS) {
      const [{ id }] = await this.m.query(
        `INSERT INTO users (email, name, role, organisation_id, password_hash, accountable_lead)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          u.email,
          u.name,
          u.role,
          u.organisation ? this.org(u.organisation) : null,
          this.passwordHash,
          u.accountableLead ?? false,
        ],
      );
      this.users.set(u.key, { id, role: u.role });
      for (const o of u.portfolio ?? []) {
        await this.m.query(`INSERT INTO portfolios (user_id, organisation_id) VALUES ($1, $2)`, [id, this.org(o)]);
      }
    }
    for (const inspection of [KENT_INSPECTION, ...ILLUSTRATIVE_INSPECTIONS]) await this.loadInspection(inspection);
  }

  private org(key: string): string {
    const id = this.organisations.get(key);
    if (!id) throw new Error(`demo story names an unknown organisation: ${key}`);
    return id;
  }

  private user(key: string) {
    const user = this.users.get(key);
    if (!user) throw new Error(`demo story names an unknown user: ${key}`);
    return user;
  }

  private date(d: DemoDate): string {
    return typeof d === 'string' ? d : addDays(this.today, d.days);
  }

  /** An instant on a story date, in office hours. */
  private at(d: DemoDate, hour = 10): string {
    return `${this.date(d)}T${String(hour).padStart(2, '0')}:00:00Z`;
  }

  private async loadInspection(i: DemoInspection): Promise<void> {
    const organisationId = this.org(i.organisation);
    const publishedOn = this.date(i.publishedOn);
    const [{ id: inspectionId }] = await this.m.query(
      `INSERT INTO inspections (organisation_id, inspectorate_id, title, programme, published_on,
         published_on_approximate, report_url, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
      [
        organisationId,
        this.org('hmip'),
        i.title,
        i.programme,
        publishedOn,
        i.publishedOnApproximate,
        i.reportUrl,
        this.at(publishedOn, 9),
      ],
    );
    const references = new Map<string, string>();
    for (const [index, r] of i.recommendations.entries()) {
      const createdAt = this.at(publishedOn, 11);
      const [{ id }] = await this.m.query(
        `INSERT INTO recommendations (inspection_id, ordinal, reference, text, theme, priority, source,
           owner_organisation_id, response, response_rationale, target_date, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
        [
          inspectionId,
          index + 1,
          r.reference,
          r.text,
          r.theme,
          r.priority,
          r.source,
          organisationId,
          r.response,
          r.responseRationale ?? null,
          r.targetDate ? this.date(r.targetDate) : null,
          createdAt,
        ],
      );
      references.set(r.reference, id);
      const initial = { reference: r.reference, text: r.text, theme: r.theme, priority: r.priority, source: r.source };
      await this.m.query(
        `INSERT INTO recommendation_updates (recommendation_id, kind, changes, comment, created_at)
         VALUES ($1, 'created', $2, $3, $4)`,
        [
          id,
          JSON.stringify(Object.entries(initial).map(([field, to]) => ({ field, from: null, to }))),
          'Recorded from the published report',
          createdAt,
        ],
      );
      for (const a of r.actions) await this.loadAction(a, id, inspectionId, organisationId);
    }
    for (const [ordinal, f] of i.findings.entries()) {
      const [{ id }] = await this.m.query(
        `INSERT INTO findings (inspection_id, ordinal, kind, text, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [inspectionId, ordinal + 1, f.kind, f.text, this.at(publishedOn, 11)],
      );
      for (const ref of f.recommendations ?? []) {
        await this.m.query(`INSERT INTO finding_recommendations (finding_id, recommendation_id) VALUES ($1, $2)`, [
          id,
          references.get(ref),
        ]);
      }
    }
  }

  private async loadAction(a: DemoAction, recommendationId: string, inspectionId: string, organisationId: string) {
    const createdAt = this.at(a.createdOn);
    let state: ActionState = {
      title: a.title,
      description: a.description ?? null,
      ownerId: a.owner ? this.user(a.owner).id : null,
      dueDate: this.date(a.dueDate),
      status: 'not_started',
      progress: 0,
      evidence: null,
    };
    const history: { at: string; by: string; kind: string; changes: FieldChange[]; comment: string | null }[] = [
      {
        at: createdAt,
        by: this.user(a.createdBy).id,
        kind: 'created',
        changes: Object.entries(state)
          .filter(([, v]) => v !== null)
          .map(([field, to]) => ({ field, from: null, to })),
        comment: null,
      },
    ];
    let completedAt: string | null = null;
    let verified: { at: string; by: string } | null = null;
    for (const u of a.updates ?? []) {
      const by = this.user(u.by);
      const plan = planActionUpdate(by.role, state, {
        status: u.status,
        progress: u.progress,
        dueDate: u.dueDate ? this.date(u.dueDate) : undefined,
        evidence: u.evidence,
        comment: u.comment,
      });
      const at = this.at(u.on, 15);
      if (plan.next.status !== state.status) {
        completedAt = isDone(plan.next.status) ? (completedAt ?? at) : null;
        verified = plan.next.status === 'verified' ? { at, by: by.id } : null;
      }
      state = plan.next;
      history.push({ at, by: by.id, kind: 'updated', changes: plan.changes, comment: plan.comment });
    }
    const [{ id }] = await this.m.query(
      `INSERT INTO actions (recommendation_id, inspection_id, organisation_id, title, description, owner_id, due_date,
         original_due_date, status, progress, evidence, completed_at, verified_at, verified_by_id, created_at,
         updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
      [
        recommendationId,
        inspectionId,
        organisationId,
        state.title,
        state.description,
        state.ownerId,
        state.dueDate,
        this.date(a.dueDate),
        state.status,
        state.progress,
        state.evidence,
        completedAt,
        verified?.at ?? null,
        verified?.by ?? null,
        createdAt,
        history[history.length - 1].at,
        history.length,
      ],
    );
    for (const h of history) {
      await this.m.query(
        `INSERT INTO action_updates (action_id, actor_id, kind, changes, comment, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, h.by, h.kind, JSON.stringify(h.changes), h.comment, h.at],
      );
    }
  }
}

function isDone(status: ActionStatus): boolean {
  return status === 'completed' || status === 'verified';
}
