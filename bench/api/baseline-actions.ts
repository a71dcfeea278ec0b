import { Pool, PoolClient } from 'pg';
import { Actor, scopeCondition } from '@rt/domain/access/actor';
import { ActionView, FieldChange, OPEN_STATUS_SQL, UpdateActionInput } from '@rt/domain/actions/action';
import { ActionState, daysOverdue, planActionUpdate, ragOf } from '@rt/domain/actions/action-rules';
import { ACTION_COLUMNS } from '@rt/domain/actions/actions.service';
import { aggregateTypeOf, DomainEvent } from '@rt/domain/outbox/domain-event';
import { londonDateOf } from '@rt/domain/shared/dates';
import { DomainException } from '@rt/domain/shared/domain.exception';
import { decodeCursor, Page, pageSize, toPage } from '@rt/domain/shared/keyset-cursor';
import { iso, SqlParams } from '@rt/domain/shared/sql';

/*
 * The baseline's actions: the statements ActionsService runs, in the same order and the same transaction, with
 * the project's own column list, status predicate, scope condition and update rules imported. Statements that
 * the project does not export are copied verbatim from libs/domain/src/actions/actions.service.ts and
 * libs/domain/src/outbox/outbox.writer.ts.
 */

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

const today = () => londonDateOf(new Date());

function toView(row: ActionRow, day: string): ActionView {
  const state = { status: row.status, dueDate: row.due_date, progress: row.progress };
  const late = daysOverdue(state, day);
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
    rag: ragOf(state, day),
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

export interface ListFilter {
  ownerId?: string;
  overdue?: boolean;
  limit?: number;
  cursor?: string;
}

/** `GET /api/v1/actions` for the filters the bench uses (owner, overdue) and keyset pagination. */
export async function listActions(pool: Pool, actor: Actor, filter: ListFilter): Promise<Page<ActionView>> {
  const day = today();
  const p = new SqlParams();
  const where: string[] = [];
  if (filter.ownerId) where.push(`a.owner_id = ${p.add(filter.ownerId)}`);
  if (filter.overdue === true) where.push(`a.status ${OPEN_STATUS_SQL} AND a.due_date < ${p.add(day)}`);
  if (filter.overdue === false) where.push(`NOT (a.status ${OPEN_STATUS_SQL} AND a.due_date < ${p.add(day)})`);
  where.push(scopeCondition(actor, 'a.organisation_id', (v) => p.add(v)));
  if (filter.cursor) {
    const [dueDate, id] = decodeCursor(filter.cursor, ['string', 'string']);
    where.push(`(a.due_date, a.id) > (${p.add(dueDate)}::date, ${p.add(id)}::uuid)`);
  }
  const size = pageSize(filter.limit);
  const { rows } = await pool.query<ActionRow>(
    `SELECT ${ACTION_COLUMNS} FROM actions a WHERE ${where.join(' AND ')}
       ORDER BY a.due_date, a.id LIMIT ${size + 1}`,
    p.values,
  );
  return toPage(
    rows,
    size,
    (r) => [r.due_date, r.id],
    (r) => toView(r, day),
  );
}

async function load(db: Pool | PoolClient, actor: Actor, id: string, forUpdate: boolean): Promise<ActionRow> {
  const p = new SqlParams();
  const { rows } = await db.query<ActionRow>(
    `SELECT ${ACTION_COLUMNS} FROM actions a
       WHERE a.id = ${p.add(id)} AND ${scopeCondition(actor, 'a.organisation_id', (v) => p.add(v))}
       ${forUpdate ? 'FOR UPDATE' : ''}`,
    p.values,
  );
  if (rows.length === 0) throw DomainException.notFound('Action');
  return rows[0];
}

export async function getAction(pool: Pool, actor: Actor, id: string): Promise<ActionView> {
  return toView(await load(pool, actor, id, false), today());
}

async function checkOwner(client: PoolClient, ownerId: string, organisationId: string): Promise<void> {
  const { rows } = await client.query(
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

async function appendHistory(
  client: PoolClient,
  actionId: string,
  actorId: string,
  kind: 'updated' | 'comment',
  changes: FieldChange[],
  comment: string | null,
): Promise<void> {
  await client.query(
    `INSERT INTO action_updates (action_id, actor_id, kind, changes, comment) VALUES ($1, $2, $3, $4, $5)`,
    [actionId, actorId, kind, JSON.stringify(changes), comment],
  );
}

async function writeOutbox(client: PoolClient, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  await client.query(
    `INSERT INTO outbox (event_type, aggregate_type, aggregate_id, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[])`,
    [
      events.map((e) => e.type),
      events.map((e) => aggregateTypeOf(e.type)),
      events.map((e) => e.aggregateId),
      events.map((e) => JSON.stringify(e.payload)),
    ],
  );
}

function eventsFor(row: ActionRow, before: ActionRow, changes: FieldChange[], actorId: string): DomainEvent[] {
  const ref = {
    actionId: row.id,
    recommendationId: row.recommendation_id,
    inspectionId: row.inspection_id,
    organisationId: row.organisation_id,
  };
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

/** `PATCH /api/v1/actions/{id}`: the project's transaction, statement for statement. */
export async function updateAction(
  pool: Pool,
  actor: Actor,
  id: string,
  expectedVersion: number,
  input: UpdateActionInput,
): Promise<ActionView> {
  const client = await pool.connect();
  try {
    await client.query('START TRANSACTION');
    const current = await load(client, actor, id, true);
    if (current.version !== expectedVersion) throw DomainException.stale('This action');
    const plan = planActionUpdate(actor.role, stateOf(current), input);
    let view: ActionView;
    if (plan.changes.length === 0) {
      if (plan.comment) await appendHistory(client, id, actor.id, 'comment', [], plan.comment);
      view = toView(current, today());
    } else {
      const { next } = plan;
      if (next.ownerId && next.ownerId !== current.owner_id) {
        await checkOwner(client, next.ownerId, current.organisation_id);
      }
      const { rows } = await client.query<ActionRow>(
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
      );
      const row = rows[0];
      if (!row) throw DomainException.stale('This action');
      await appendHistory(client, id, actor.id, 'updated', plan.changes, plan.comment);
      await writeOutbox(client, eventsFor(row, current, plan.changes, actor.id));
      view = toView(row, today());
    }
    await client.query('COMMIT');
    return view;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
