import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeCondition } from '../access/actor';
import { DomainEvent } from '../outbox/domain-event';
import { writeOutbox } from '../outbox/outbox.writer';
import { Clock } from '../shared/clock';
import { addDays, londonDateOf } from '../shared/dates';
import { DomainException } from '../shared/domain.exception';
import { decodeCursor, Page, PageRequest, pageSize, toPage } from '../shared/keyset-cursor';
import { inTransaction, iso, poolReader, Queryable, returnedRows, SqlParams } from '../shared/sql';
import {
  ActionDueCounts,
  ActionFilter,
  ActionUpdateView,
  ActionView,
  AMBER_PROGRESS,
  AMBER_WINDOW_DAYS,
  CreateActionInput,
  FieldChange,
  OPEN_STATUS_SQL,
  UpdateActionInput,
} from './action';
import { ActionState, daysOverdue, planActionUpdate, ragOf } from './action-rules';

interface ActionRow {
  id: string;
  recommendation_id: string;
  inspection_id: string;
  organisation_id: string;
  title: string;
  description: string | null;
  owner_id: string | null;
  due_date: string;
  original_due_date: string;
  status: ActionView['status'];
  progress: number;
  evidence: string | null;
  completed_at: Date | null;
  verified_at: Date | null;
  verified_by_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export const ACTION_COLUMNS = `a.id, a.recommendation_id, a.inspection_id, a.organisation_id, a.title, a.description,
  a.owner_id, a.due_date, a.original_due_date, a.status, a.progress, a.evidence, a.completed_at, a.verified_at,
  a.verified_by_id, a.created_at, a.updated_at, a.version`;

function toView(row: ActionRow, today: string): ActionView {
  const state = { status: row.status, dueDate: row.due_date, progress: row.progress };
  const late = daysOverdue(state, today);
  return {
    id: row.id,
    recommendationId: row.recommendation_id,
    inspectionId: row.inspection_id,
    organisationId: row.organisation_id,
    title: row.title,
    description: row.description,
    ownerId: row.owner_id,
    dueDate: row.due_date,
    originalDueDate: row.original_due_date,
    status: row.status,
    progress: row.progress,
    evidence: row.evidence,
    rag: ragOf(state, today),
    overdue: late > 0,
    daysOverdue: late,
    completedAt: iso(row.completed_at),
    verifiedAt: iso(row.verified_at),
    verifiedById: row.verified_by_id,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    version: row.version,
  };
}

function stateOf(row: ActionRow): ActionState {
  return {
    title: row.title,
    description: row.description,
    ownerId: row.owner_id,
    dueDate: row.due_date,
    status: row.status,
    progress: row.progress,
    evidence: row.evidence,
  };
}

/**
 * SQL for each RAG value, matching ragOf(). Dates are added as parameters only where used: PostgreSQL refuses a
 * statement given parameters it does not reference.
 */
function ragCondition(rag: NonNullable<ActionFilter['rag']>, today: string, p: SqlParams): string {
  switch (rag) {
    case 'complete':
      return `a.status IN ('completed', 'verified')`;
    case 'red':
      return `a.status ${OPEN_STATUS_SQL} AND (a.due_date < ${p.add(today)} OR a.status = 'blocked')`;
    case 'amber':
      return `a.status IN ('not_started', 'in_progress') AND a.due_date >= ${p.add(today)}
        AND a.due_date <= ${p.add(addDays(today, AMBER_WINDOW_DAYS))} AND a.progress < ${AMBER_PROGRESS}`;
    case 'green':
      return `a.status IN ('not_started', 'in_progress') AND a.due_date >= ${p.add(today)}
        AND (a.due_date > ${p.add(addDays(today, AMBER_WINDOW_DAYS))} OR a.progress >= ${AMBER_PROGRESS})`;
  }
}

/** The WHERE conditions for a filter, within the actor's scope (shared by list and its counts). */
function filterConditions(actor: Actor, filter: ActionFilter, today: string, p: SqlParams): string[] {
  const where: string[] = [];
  if (filter.ownerId) where.push(`a.owner_id = ${p.add(filter.ownerId)}`);
  if (filter.unassigned) where.push(`a.owner_id IS NULL`);
  if (filter.overdue === true) where.push(`a.status ${OPEN_STATUS_SQL} AND a.due_date < ${p.add(today)}`);
  if (filter.overdue === false) {
    where.push(`NOT (a.status ${OPEN_STATUS_SQL} AND a.due_date < ${p.add(today)})`);
  }
  where.push(scopeCondition(actor, 'a.organisation_id', (v) => p.add(v)));
  if (filter.organisationId) where.push(`a.organisation_id = ${p.add(filter.organisationId)}`);
  if (filter.inspectionId) where.push(`a.inspection_id = ${p.add(filter.inspectionId)}`);
  if (filter.recommendationId) where.push(`a.recommendation_id = ${p.add(filter.recommendationId)}`);
  if (filter.statuses?.length) where.push(`a.status = ANY(${p.add(filter.statuses)}::text[])`);
  if (filter.rag) where.push(ragCondition(filter.rag, today, p));
  if (filter.dueBefore) where.push(`a.due_date < ${p.add(filter.dueBefore)}`);
  if (filter.dueAfter) where.push(`a.due_date > ${p.add(filter.dueAfter)}`);
  return where;
}

@Injectable()
export class ActionsService {
  private readonly read: Queryable;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {
    this.read = poolReader(db);
  }

  today(): string {
    return londonDateOf(this.clock.now());
  }

  async list(actor: Actor, filter: ActionFilter, page: PageRequest): Promise<Page<ActionView>> {
    const today = this.today();
    const p = new SqlParams();
    const where = filterConditions(actor, filter, today, p);
    if (page.cursor) {
      const [dueDate, id] = decodeCursor(page.cursor, ['date', 'uuid']);
      where.push(`(a.due_date, a.id) > (${p.add(dueDate)}::date, ${p.add(id)}::uuid)`);
    }
    const size = pageSize(page.limit);
    const rows: ActionRow[] = await this.read.query(
      `SELECT ${ACTION_COLUMNS} FROM actions a WHERE ${where.join(' AND ')}
       ORDER BY a.due_date, a.id LIMIT ${size + 1}`,
      p.values,
    );
    return toPage(
      rows,
      size,
      (r) => [r.due_date, r.id],
      (r) => toView(r, today),
    );
  }

  /**
   * How many actions match the filter, by due state: overdue (open, past due), due soon (open, due within
   * AMBER_WINDOW_DAYS) and the rest. For list pages that show totals beside one page of items.
   */
  async countByDueState(actor: Actor, filter: ActionFilter): Promise<ActionDueCounts> {
    const today = this.today();
    const p = new SqlParams();
    const where = filterConditions(actor, filter, today, p);
    const todayParam = p.add(today);
    const [row]: { overdue: string; due_soon: string; total: string }[] = await this.read.query(
      `SELECT
         count(*) FILTER (WHERE a.status ${OPEN_STATUS_SQL} AND a.due_date < ${todayParam}::date) AS overdue,
         count(*) FILTER (WHERE a.status ${OPEN_STATUS_SQL} AND a.due_date >= ${todayParam}::date
           AND a.due_date <= ${p.add(addDays(today, AMBER_WINDOW_DAYS))}::date) AS due_soon,
         count(*) AS total
       FROM actions a WHERE ${where.join(' AND ')}`,
      p.values,
    );
    const overdue = Number(row.overdue);
    const dueSoon = Number(row.due_soon);
    const total = Number(row.total);
    return { overdue, dueSoon, later: total - overdue - dueSoon, total };
  }

  /**
   * The inspections that the actions matching `filter` serve, newest first, with their titles: the choices of a
   * filter by inspection over those actions ("Your actions"), found from the actions (cheap through their owner
   * index) rather than from every inspection in sight.
   */
  async inspectionsOf(actor: Actor, filter: ActionFilter): Promise<{ id: string; title: string }[]> {
    const p = new SqlParams();
    const where = filterConditions(actor, filter, this.today(), p);
    return this.read.query(
      `SELECT i.id, i.title FROM inspections i
       WHERE i.id IN (SELECT a.inspection_id FROM actions a WHERE ${where.join(' AND ')})
       ORDER BY i.published_on DESC, i.title, i.id`,
      p.values,
    );
  }

  /** A recommendation's actions; 404 when the recommendation itself is out of sight. */
  async listForRecommendation(actor: Actor, recommendationId: string, page: PageRequest): Promise<Page<ActionView>> {
    const p = new SqlParams();
    const found = await this.read.query(
      `SELECT 1 FROM recommendations r
       WHERE r.id = ${p.add(recommendationId)} AND ${scopeCondition(actor, 'r.owner_organisation_id', (v) => p.add(v))}`,
      p.values,
    );
    if (found.length === 0) throw DomainException.notFound('Recommendation');
    return this.list(actor, { recommendationId }, page);
  }

  async get(actor: Actor, id: string): Promise<ActionView> {
    return toView(await this.load(actor, id, this.read, false), this.today());
  }

  /** `within`: an enclosing transaction (e.g. an import); the work then runs in a savepoint of it. */
  async create(
    actor: Actor,
    recommendationId: string,
    input: CreateActionInput,
    within: EntityManager = this.db.manager,
  ): Promise<ActionView> {
    return within.transaction(async (manager) => {
      const p = new SqlParams();
      const recs: { inspection_id: string; owner_organisation_id: string; response: string }[] = await manager.query(
        `SELECT r.inspection_id, r.owner_organisation_id, r.response FROM recommendations r
         WHERE r.id = ${p.add(recommendationId)} AND ${scopeCondition(actor, 'r.owner_organisation_id', (v) => p.add(v))}
         FOR SHARE`,
        p.values,
      );
      if (recs.length === 0) throw DomainException.notFound('Recommendation');
      const rec = recs[0];
      if (rec.response === 'not_accepted') {
        throw DomainException.rule(
          'not-accepted-needs-no-actions',
          'recommendationId',
          'this recommendation was not accepted, so it takes no actions',
        );
      }
      const ownerId = input.ownerId ?? null;
      if (ownerId) await this.checkOwner(manager, ownerId, rec.owner_organisation_id);
      const [row]: ActionRow[] = await manager.query(
        `INSERT INTO actions (recommendation_id, inspection_id, organisation_id, title, description, owner_id,
           due_date, original_due_date, evidence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)
         RETURNING ${ACTION_COLUMNS.replace(/a\./g, '')}`,
        [
          recommendationId,
          rec.inspection_id,
          rec.owner_organisation_id,
          input.title.trim(),
          input.description ?? null,
          ownerId,
          input.dueDate,
          input.evidence ?? null,
        ],
      );
      const initial: FieldChange[] = (
        [
          ['title', row.title],
          ['description', row.description],
          ['ownerId', row.owner_id],
          ['dueDate', row.due_date],
          ['status', row.status],
          ['progress', row.progress],
          ['evidence', row.evidence],
        ] as const
      )
        .filter(([, v]) => v !== null)
        .map(([field, to]) => ({ field, from: null, to }));
      await this.appendHistory(manager, row.id, actor.id, 'created', initial, null);
      const ref = refOf(row);
      await writeOutbox(manager, [
        {
          type: 'action-created',
          aggregateId: row.id,
          payload: { ...ref, ownerId, dueDate: row.due_date, actorId: actor.id },
        },
      ]);
      return toView(row, this.today());
    });
  }

  async update(actor: Actor, id: string, expectedVersion: number, input: UpdateActionInput): Promise<ActionView> {
    return inTransaction(this.db, async (manager) => {
      const current = await this.load(actor, id, manager, true);
      if (current.version !== expectedVersion) throw DomainException.stale('This action');
      const plan = planActionUpdate(actor.role, stateOf(current), input);

      if (plan.changes.length === 0) {
        if (plan.comment) await this.appendHistory(manager, id, actor.id, 'comment', [], plan.comment);
        return toView(current, this.today());
      }
      const { next } = plan;
      if (next.ownerId && next.ownerId !== current.owner_id) {
        await this.checkOwner(manager, next.ownerId, current.organisation_id);
      }
      const [row] = returnedRows<ActionRow>(
        await manager.query(
          `UPDATE actions SET title = $3, description = $4, owner_id = $5, due_date = $6, status = $7, progress = $8,
             evidence = $9,
             completed_at = CASE WHEN $7 IN ('completed', 'verified') THEN COALESCE(completed_at, now()) END,
             verified_at = CASE WHEN $7 = 'verified' THEN COALESCE(verified_at, now()) END,
             verified_by_id = CASE WHEN $7 = 'verified' THEN COALESCE(verified_by_id, $10) END,
             version = version + 1, updated_at = now()
           WHERE id = $1 AND version = $2
           RETURNING ${ACTION_COLUMNS.replace(/a\./g, '')}`,
          [
            id,
            expectedVersion,
            next.title,
            next.description,
            next.ownerId,
            next.dueDate,
            next.status,
            next.progress,
            next.evidence,
            actor.id,
          ],
        ),
      );
      if (!row) throw DomainException.stale('This action');
      await this.appendHistory(manager, id, actor.id, 'updated', plan.changes, plan.comment);
      await writeOutbox(manager, eventsFor(row, current, plan.changes, actor.id));
      return toView(row, this.today());
    });
  }

  async history(actor: Actor, id: string, page: PageRequest): Promise<Page<ActionUpdateView>> {
    await this.load(actor, id, this.read, false);
    const p = new SqlParams();
    const where = [`u.action_id = ${p.add(id)}`];
    if (page.cursor) {
      const [at, updateId] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
      where.push(`(u.created_at, u.id) < (${p.add(at)}::timestamptz, ${p.add(updateId)}::uuid)`);
    }
    const size = pageSize(page.limit);
    const rows: {
      id: string;
      action_id: string;
      kind: ActionUpdateView['kind'];
      actor_id: string | null;
      actor_name: string | null;
      created_at: Date;
      at_key: string;
      changes: FieldChange[];
      comment: string | null;
      handover_id: string | null;
    }[] = await this.read.query(
      `SELECT u.id, u.action_id, u.kind, u.actor_id, usr.name AS actor_name, u.created_at, u.changes, u.comment,
         u.handover_id,
         to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key
       FROM action_updates u LEFT JOIN users usr ON usr.id = u.actor_id
       WHERE ${where.join(' AND ')}
       ORDER BY u.created_at DESC, u.id DESC LIMIT ${size + 1}`,
      p.values,
    );
    return toPage(
      rows,
      size,
      (r) => [r.at_key, r.id],
      (r) => ({
        id: r.id,
        actionId: r.action_id,
        kind: r.kind,
        actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
        at: iso(r.created_at)!,
        changes: r.changes.map(({ field, from, to }: FieldChange) => ({ field, from, to })),
        comment: r.comment,
        handoverId: r.handover_id,
      }),
    );
  }

  private async load(actor: Actor, id: string, manager: Queryable, forUpdate: boolean): Promise<ActionRow> {
    const p = new SqlParams();
    const rows: ActionRow[] = await manager.query(
      `SELECT ${ACTION_COLUMNS} FROM actions a
       WHERE a.id = ${p.add(id)} AND ${scopeCondition(actor, 'a.organisation_id', (v) => p.add(v))}
       ${forUpdate ? 'FOR UPDATE' : ''}`,
      p.values,
    );
    if (rows.length === 0) throw DomainException.notFound('Action');
    return rows[0];
  }

  /** An owner is an active senior manager of the organisation that owns the action. */
  private async checkOwner(manager: Queryable, ownerId: string, organisationId: string): Promise<void> {
    const rows = await manager.query(
      `SELECT 1 FROM users WHERE id = $1 AND organisation_id = $2 AND role = 'senior_manager' AND active`,
      [ownerId, organisationId],
    );
    if (rows.length === 0) {
      throw DomainException.rule(
        'owner-in-organisation',
        'ownerId',
        'the owner must be an active senior manager of the organisation that owns this action',
      );
    }
  }

  private async appendHistory(
    manager: Queryable,
    actionId: string,
    actorId: string,
    kind: ActionUpdateView['kind'],
    changes: FieldChange[],
    comment: string | null,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO action_updates (action_id, actor_id, kind, changes, comment) VALUES ($1, $2, $3, $4, $5)`,
      [actionId, actorId, kind, JSON.stringify(changes), comment],
    );
  }
}

function refOf(row: ActionRow) {
  return {
    actionId: row.id,
    recommendationId: row.recommendation_id,
    inspectionId: row.inspection_id,
    organisationId: row.organisation_id,
  };
}

function eventsFor(row: ActionRow, before: ActionRow, changes: FieldChange[], actorId: string): DomainEvent[] {
  const ref = refOf(row);
  const fields = changes.map((c) => c.field);
  const events: DomainEvent[] = [
    { type: 'action-changed', aggregateId: row.id, payload: { ...ref, fields, version: row.version, actorId } },
  ];
  if (fields.includes('dueDate')) {
    events.push({
      type: 'action-due-date-moved',
      aggregateId: row.id,
      payload: { ...ref, from: before.due_date, to: row.due_date },
    });
  }
  if (fields.includes('ownerId')) {
    events.push({
      type: 'action-owner-changed',
      aggregateId: row.id,
      payload: { ...ref, from: before.owner_id, to: row.owner_id, actorId },
    });
  }
  if (fields.includes('status') && row.status === 'completed') {
    events.push({ type: 'action-completed', aggregateId: row.id, payload: ref });
  }
  if (fields.includes('status') && row.status === 'verified') {
    events.push({ type: 'action-verified', aggregateId: row.id, payload: { ...ref, verifiedById: actorId } });
  }
  return events;
}
