import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, inScope, scopeCondition } from '../access/actor';
import { FieldChange, OPEN_STATUS_SQL } from '../actions/action';
import { InspectionsService } from '../inspections/inspections.service';
import { DomainEvent } from '../outbox/domain-event';
import { writeOutbox } from '../outbox/outbox.writer';
import { Clock } from '../shared/clock';
import { londonDateOf } from '../shared/dates';
import { DomainException } from '../shared/domain.exception';
import { decodeCursor, Page, PageRequest, pageSize, toPage } from '../shared/keyset-cursor';
import { Queryable, SqlParams, iso, poolReader, returnedRows } from '../shared/sql';
import {
  CreateRecommendationInput,
  RecommendationUpdateView,
  RecommendationView,
  UpdateRecommendationInput,
} from './recommendation';
import { recommendationProgress, recommendationStatus } from './recommendation-status';

interface RecommendationRow {
  id: string;
  inspection_id: string;
  ordinal: number;
  reference: string;
  text: string;
  theme: RecommendationView['theme'];
  priority: RecommendationView['priority'];
  source: RecommendationView['source'];
  owner_organisation_id: string;
  response: RecommendationView['response'];
  response_rationale: string | null;
  target_date: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  total: number;
  not_started: number;
  completed: number;
  verified: number;
  overdue: number;
}

/** $1 is today's date. */
const SELECT = `
  SELECT r.id, r.inspection_id, r.ordinal, r.reference, r.text, r.theme, r.priority, r.source,
    r.owner_organisation_id, r.response, r.response_rationale, r.target_date, r.created_at, r.updated_at, r.version,
    c.total, c.not_started, c.completed, c.verified, c.overdue
  FROM recommendations r
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE a.status <> 'cancelled')::int AS total,
      count(*) FILTER (WHERE a.status = 'not_started')::int AS not_started,
      count(*) FILTER (WHERE a.status = 'completed')::int AS completed,
      count(*) FILTER (WHERE a.status = 'verified')::int AS verified,
      count(*) FILTER (WHERE a.status ${OPEN_STATUS_SQL} AND a.due_date < $1)::int AS overdue
    FROM actions a WHERE a.recommendation_id = r.id
  ) c`;

const EDITABLE = [
  'reference',
  'text',
  'theme',
  'priority',
  'source',
  'ownerOrganisationId',
  'response',
  'responseRationale',
  'targetDate',
] as const;
type EditableField = (typeof EDITABLE)[number];
/** What the inspected body itself may change: its response to the recommendation. */
const RESPONSE_FIELDS: readonly EditableField[] = ['response', 'responseRationale'];

function toView(row: RecommendationRow): RecommendationView {
  const counts = {
    total: row.total,
    notStarted: row.not_started,
    completed: row.completed,
    verified: row.verified,
    overdue: row.overdue,
  };
  return {
    id: row.id,
    inspectionId: row.inspection_id,
    reference: row.reference,
    text: row.text,
    theme: row.theme,
    priority: row.priority,
    source: row.source,
    ownerOrganisationId: row.owner_organisation_id,
    response: row.response,
    responseRationale: row.response_rationale,
    targetDate: row.target_date,
    status: recommendationStatus(row.response, counts),
    progress: recommendationProgress(counts),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    version: row.version,
  };
}

@Injectable()
export class RecommendationsService {
  private readonly read: Queryable;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly inspections: InspectionsService,
    private readonly clock: Clock,
  ) {
    this.read = poolReader(db);
  }

  private today(): string {
    return londonDateOf(this.clock.now());
  }

  async listForInspection(actor: Actor, inspectionId: string, page: PageRequest): Promise<Page<RecommendationView>> {
    await this.inspections.get(actor, inspectionId);
    const p = new SqlParams();
    p.add(this.today());
    const where = [
      `r.inspection_id = ${p.add(inspectionId)}`,
      scopeCondition(actor, 'r.owner_organisation_id', (v) => p.add(v)),
    ];
    if (page.cursor) {
      const [ordinal] = decodeCursor(page.cursor, ['number']);
      where.push(`r.ordinal > ${p.add(ordinal)}`);
    }
    const size = pageSize(page.limit);
    const rows: RecommendationRow[] = await this.read.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY r.ordinal LIMIT ${size + 1}`,
      p.values,
    );
    return toPage(rows, size, (r) => [r.ordinal], toView);
  }

  async get(actor: Actor, id: string, manager: Queryable = this.read, lock = false) {
    return toView(await this.load(actor, id, manager, lock));
  }

  /** `within`: an enclosing transaction (e.g. an import); the work then runs in a savepoint of it. */
  async create(
    actor: Actor,
    inspectionId: string,
    input: CreateRecommendationInput,
    within: EntityManager = this.db.manager,
  ): Promise<RecommendationView> {
    return within.transaction(async (manager) => {
      const inspection = await this.inspections.getForWrite(actor, inspectionId, manager);
      await manager.query(`SELECT id FROM inspections WHERE id = $1 FOR UPDATE`, [inspectionId]);
      const ownerOrganisationId = input.ownerOrganisationId ?? inspection.organisationId;
      if (ownerOrganisationId !== inspection.organisationId) {
        await this.checkOwnerOrganisation(manager, actor, ownerOrganisationId);
      }
      const response = input.response ?? 'pending';
      checkRationale(response, input.responseRationale ?? null);
      const [{ id }] = await manager.query(
        `INSERT INTO recommendations (inspection_id, ordinal, reference, text, theme, priority, source,
           owner_organisation_id, response, response_rationale, target_date)
         VALUES ($1, (SELECT coalesce(max(ordinal), 0) + 1 FROM recommendations WHERE inspection_id = $1),
           $2, $3, $4, $5, $6, $7, $8, $9, $10)
         RETURNING id`,
        [
          inspectionId,
          input.reference.trim(),
          input.text.trim(),
          input.theme,
          input.priority,
          input.source ?? 'report',
          ownerOrganisationId,
          response,
          input.responseRationale ?? null,
          input.targetDate ?? null,
        ],
      );
      const view = await this.get(actor, id, manager);
      await this.appendHistory(
        manager,
        id,
        actor.id,
        'created',
        EDITABLE.filter((f) => view[f] !== null).map((f) => ({ field: f, from: null, to: view[f] })),
        null,
      );
      await writeOutbox(manager, [
        {
          type: 'recommendation-created',
          aggregateId: id,
          payload: { recommendationId: id, inspectionId, organisationId: ownerOrganisationId },
        },
      ]);
      return view;
    });
  }

  async update(
    actor: Actor,
    id: string,
    expectedVersion: number,
    input: UpdateRecommendationInput,
  ): Promise<RecommendationView> {
    return this.db.transaction(async (manager) => {
      const current = await this.get(actor, id, manager, true);
      if (current.version !== expectedVersion) throw DomainException.stale('This recommendation');
      const next = { ...current };
      for (const field of EDITABLE) {
        if (input[field] !== undefined) (next as Record<string, unknown>)[field] = input[field];
      }
      if (input.response !== undefined && input.response !== 'not_accepted' && input.responseRationale === undefined) {
        // A rationale explains a refusal; it does not outlive it unless restated.
        next.responseRationale = current.response === 'not_accepted' ? null : current.responseRationale;
      }
      const changed = EDITABLE.filter((f) => (current[f] ?? null) !== (next[f] ?? null));
      if (changed.length === 0) return current;

      if (actor.role === 'senior_manager' && changed.some((f) => !RESPONSE_FIELDS.includes(f))) {
        throw DomainException.forbidden(
          "senior managers can record their organisation's response and rationale, not change the recommendation",
        );
      }
      checkRationale(next.response, next.responseRationale);
      if (changed.includes('response') && next.response === 'not_accepted' && current.progress.total > 0) {
        const [{ open }] = await manager.query(
          `SELECT count(*)::int AS open FROM actions WHERE recommendation_id = $1 AND status ${OPEN_STATUS_SQL}`,
          [id],
        );
        if (open > 0) {
          throw DomainException.rule(
            'not-accepted-with-open-actions',
            'response',
            `this recommendation has ${open} open action${open === 1 ? '' : 's'}; cancel ${open === 1 ? 'it' : 'them'} before recording that it is not accepted`,
          );
        }
      }
      if (changed.includes('ownerOrganisationId')) {
        await this.checkOwnerOrganisation(manager, actor, next.ownerOrganisationId);
        if (!inScope(actor, current.ownerOrganisationId)) {
          throw DomainException.forbidden('this recommendation belongs to an organisation outside your portfolio');
        }
      }
      const updated = returnedRows(
        await manager.query(
          `UPDATE recommendations SET reference = $3, text = $4, theme = $5, priority = $6, source = $7,
             owner_organisation_id = $8, response = $9, response_rationale = $10, target_date = $11,
             version = version + 1, updated_at = now()
           WHERE id = $1 AND version = $2 RETURNING id`,
          [
            id,
            expectedVersion,
            next.reference.trim(),
            next.text.trim(),
            next.theme,
            next.priority,
            next.source,
            next.ownerOrganisationId,
            next.response,
            next.responseRationale,
            next.targetDate,
          ],
        ),
      );
      if (updated.length === 0) throw DomainException.stale('This recommendation');
      const changes = changed.map((f) => ({ field: f, from: current[f], to: next[f] }));
      await this.appendHistory(manager, id, actor.id, 'updated', changes, null);
      const events: DomainEvent[] = [
        {
          type: 'recommendation-changed',
          aggregateId: id,
          payload: {
            recommendationId: id,
            inspectionId: current.inspectionId,
            organisationId: next.ownerOrganisationId,
            fields: changed,
            ...(changed.includes('ownerOrganisationId') ? { previousOrganisationId: current.ownerOrganisationId } : {}),
          },
        },
      ];
      if (changed.includes('ownerOrganisationId')) {
        events.push(
          ...(await this.moveActions(manager, actor, id, current.ownerOrganisationId, next.ownerOrganisationId)),
        );
      }
      await writeOutbox(manager, events);
      return this.get(actor, id, manager);
    });
  }

  async history(actor: Actor, id: string, page: PageRequest): Promise<Page<RecommendationUpdateView>> {
    await this.load(actor, id, this.read, false);
    const p = new SqlParams();
    const where = [`u.recommendation_id = ${p.add(id)}`];
    if (page.cursor) {
      const [at, updateId] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
      where.push(`(u.created_at, u.id) < (${p.add(at)}::timestamptz, ${p.add(updateId)}::uuid)`);
    }
    const size = pageSize(page.limit);
    const rows = await this.read.query(
      `SELECT u.id, u.recommendation_id, u.kind, u.actor_id, usr.name AS actor_name, u.created_at, u.changes,
         u.comment, u.handover_id, to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key
       FROM recommendation_updates u LEFT JOIN users usr ON usr.id = u.actor_id
       WHERE ${where.join(' AND ')} ORDER BY u.created_at DESC, u.id DESC LIMIT ${size + 1}`,
      p.values,
    );
    return toPage(
      rows,
      size,
      (r: { at_key: string; id: string }) => [r.at_key, r.id],
      (r: Record<string, any>): RecommendationUpdateView => ({
        id: r.id,
        recommendationId: r.recommendation_id,
        kind: r.kind,
        actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
        at: iso(r.created_at)!,
        changes: r.changes.map(({ field, from, to }: FieldChange) => ({ field, from, to })),
        comment: r.comment,
        handoverId: r.handover_id,
      }),
    );
  }

  private async load(actor: Actor, id: string, manager: Queryable, lock: boolean): Promise<RecommendationRow> {
    const p = new SqlParams();
    p.add(this.today());
    const rows: RecommendationRow[] = await manager.query(
      `${SELECT} WHERE r.id = ${p.add(id)} AND ${scopeCondition(actor, 'r.owner_organisation_id', (v) => p.add(v))}
       ${lock ? 'FOR UPDATE OF r' : ''}`,
      p.values,
    );
    if (rows.length === 0) throw DomainException.notFound('Recommendation');
    return rows[0];
  }

  private async checkOwnerOrganisation(manager: EntityManager, actor: Actor, organisationId: string): Promise<void> {
    const rows: { kind: string }[] = await manager.query(`SELECT kind FROM organisations WHERE id = $1`, [
      organisationId,
    ]);
    if (rows.length === 0 || !inScope(actor, organisationId)) {
      throw DomainException.invalid('ownerOrganisationId', 'no organisation you oversee has this id');
    }
    if (rows[0].kind === 'inspectorate' || rows[0].kind === 'oversight') {
      throw DomainException.invalid(
        'ownerOrganisationId',
        'inspectorates and oversight bodies do not own recommendations',
      );
    }
  }

  /**
   * A recommendation's actions belong to its owner: they move with it. Owners who are not senior managers of
   * the new organisation are unassigned, and every moved action's history says so.
   */
  private async moveActions(
    manager: EntityManager,
    actor: Actor,
    recommendationId: string,
    from: string,
    to: string,
  ): Promise<DomainEvent[]> {
    const moved: {
      id: string;
      inspection_id: string;
      owner_id: string | null;
      old_owner_id: string | null;
      version: number;
    }[] = returnedRows(
      await manager.query(
        `UPDATE actions a SET organisation_id = $2,
             owner_id = CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.id = a.owner_id AND u.organisation_id = $2
                                           AND u.role = 'senior_manager' AND u.active)
                        THEN a.owner_id END,
             version = a.version + 1, updated_at = now()
           FROM actions old
           WHERE old.id = a.id AND a.recommendation_id = $1
           RETURNING a.id, a.inspection_id, a.owner_id, old.owner_id AS old_owner_id, a.version`,
        [recommendationId, to],
      ),
    );
    const events: DomainEvent[] = [];
    for (const a of moved) {
      const changes = [{ field: 'organisationId', from, to }];
      if (a.old_owner_id !== a.owner_id) changes.push({ field: 'ownerId', from: a.old_owner_id!, to: a.owner_id! });
      await manager.query(
        `INSERT INTO action_updates (action_id, actor_id, kind, changes, comment) VALUES ($1, $2, 'updated', $3, $4)`,
        [a.id, actor.id, JSON.stringify(changes), 'Moved with its recommendation to another organisation'],
      );
      const ref = { actionId: a.id, recommendationId, inspectionId: a.inspection_id, organisationId: to };
      events.push({
        type: 'action-changed',
        aggregateId: a.id,
        payload: { ...ref, fields: changes.map((c) => c.field), version: a.version, actorId: actor.id },
      });
      if (a.old_owner_id !== a.owner_id) {
        events.push({
          type: 'action-owner-changed',
          aggregateId: a.id,
          payload: { ...ref, from: a.old_owner_id, to: null, actorId: actor.id },
        });
      }
    }
    return events;
  }

  private async appendHistory(
    manager: EntityManager,
    recommendationId: string,
    actorId: string,
    kind: RecommendationUpdateView['kind'],
    changes: RecommendationUpdateView['changes'],
    comment: string | null,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO recommendation_updates (recommendation_id, actor_id, kind, changes, comment)
       VALUES ($1, $2, $3, $4, $5)`,
      [recommendationId, actorId, kind, JSON.stringify(changes), comment],
    );
  }
}

function checkRationale(response: string, rationale: string | null): void {
  if (response === 'not_accepted' && !rationale?.trim()) {
    throw DomainException.rule(
      'not-accepted-needs-rationale',
      'responseRationale',
      'a recommendation that is not accepted needs a rationale',
    );
  }
}
