import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, inScope, scopeCondition } from '../access/actor';
import { FieldChange } from '../actions/action';
import { DomainEvent } from '../outbox/domain-event';
import { writeOutbox } from '../outbox/outbox.writer';
import { RecommendationResponse } from '../recommendations/recommendation';
import { recommendationStatus } from '../recommendations/recommendation-status';
import { DomainException } from '../shared/domain.exception';
import { decodeCursor, Page, PageRequest, pageSize, toPage } from '../shared/keyset-cursor';
import { iso, poolReader, Queryable, returnedRows, SqlParams } from '../shared/sql';
import {
  CLOSED_RECOMMENDATION_STATUSES,
  HandoverFilter,
  HandoverInput,
  HandoverMoveView,
  HandoverPlanView,
  HandoverSummaryView,
  HandoverView,
  StayingRecommendationView,
  UnassignedActionView,
} from './handover';

type Problem = HandoverPlanView['problems'][number];

interface OrganisationRow {
  id: string;
  name: string;
  kind: string;
  status: 'active' | 'dissolved';
}

interface RecommendationRow {
  id: string;
  reference: string;
  inspection_id: string;
  owner_organisation_id: string;
  response: RecommendationResponse;
  total: number;
  not_started: number;
  completed: number;
  verified: number;
}

interface ActionRow {
  id: string;
  recommendation_id: string;
  inspection_id: string;
  title: string;
  status: string;
  owner_id: string | null;
  owner_name: string | null;
  keeps_owner: boolean;
}

/** Everything a hand-over would do, worked out before anything changes. */
interface Plan {
  predecessors: OrganisationRow[];
  successorIds: string[];
  problems: Problem[];
  moves: (HandoverMoveView & { actionRows: ActionRow[] })[];
  unassigned: UnassignedActionView[];
  staying: StayingRecommendationView[];
  unallocated: HandoverPlanView['unallocated'];
}

interface HandoverRow {
  id: string;
  kind: HandoverView['kind'];
  effective_on: string;
  created_by: string;
  created_by_name: string | null;
  created_at: Date;
  at_key: string;
  dissolved_predecessors: boolean;
  summary: { unassigned?: UnassignedActionView[]; staying?: StayingRecommendationView[] };
  predecessor_ids: string[];
  successor_ids: string[];
}

/** Frozen actions keep their owner as the record of who did the work; open and completed ones are re-assigned. */
const FROZEN_ACTION_STATUSES = ['verified', 'cancelled'];

/**
 * Hand-overs after a restructuring: a predecessor's open recommendations, with their actions, move to its
 * successors in one transaction, every moved record's history saying so (kind `handover`, naming the hand-over),
 * with outbox events naming both organisations so that both roll-ups are refreshed.
 */
@Injectable()
export class HandoversService {
  private readonly read: Queryable;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.read = poolReader(db);
  }

  /** Performs the hand-over, or with `dryRun` answers what it would do (and what refuses it) and changes nothing. */
  async perform(actor: Actor, input: HandoverInput, dryRun: true): Promise<HandoverPlanView>;
  async perform(actor: Actor, input: HandoverInput, dryRun: false): Promise<HandoverView>;
  async perform(actor: Actor, input: HandoverInput, dryRun: boolean): Promise<HandoverPlanView | HandoverView> {
    if (dryRun) {
      const plan = await this.plan(this.read, actor, input, false);
      return planView(input, plan);
    }
    const id = await this.db.transaction(async (manager) => {
      const plan = await this.plan(manager, actor, input, true);
      if (plan.problems.length > 0) {
        const rule = plan.problems[0].rule;
        throw new DomainException(
          'rule_violated',
          plan.unallocated.length > 0
            ? `every open recommendation must be allocated to a successor; not allocated: ${plan.unallocated
                .map((u) => u.reference)
                .join(', ')}`
            : plan.problems.map((p) => p.message).join('; '),
          plan.problems.map(({ field, message }) => ({ field, message })),
          rule,
        );
      }
      return this.execute(manager, actor, input, plan);
    });
    return this.get(actor, id);
  }

  async list(actor: Actor, filter: HandoverFilter, page: PageRequest): Promise<Page<HandoverSummaryView>> {
    const p = new SqlParams();
    const where = [visible(actor, 'h', p)];
    if (filter.organisationId) {
      where.push(`EXISTS (SELECT 1 FROM handover_organisations f WHERE f.handover_id = h.id
        AND f.organisation_id = ${p.add(filter.organisationId)})`);
    }
    if (page.cursor) {
      const [at, id] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
      where.push(`(h.created_at, h.id) < (${p.add(at)}::timestamptz, ${p.add(id)}::uuid)`);
    }
    const size = pageSize(page.limit);
    const rows = await this.handovers(where.join(' AND '), p, `LIMIT ${size + 1}`);
    const counts = await this.moveCounts(
      actor,
      rows.map((r) => r.id),
    );
    return toPage(
      rows,
      size,
      (r) => [r.at_key, r.id],
      (r) => summaryView(r, counts.get(r.id) ?? { recommendations: 0, actions: 0 }),
    );
  }

  async get(actor: Actor, id: string): Promise<HandoverView> {
    const p = new SqlParams();
    const [row] = await this.handovers(`h.id = ${p.add(id)} AND ${visible(actor, 'h', p)}`, p, '');
    if (!row) throw DomainException.notFound('Hand-over');
    const q = new SqlParams();
    const moves: HandoverMoveView[] = (
      await this.read.query(
        `SELECT m.recommendation_id, r.reference, r.inspection_id, m.from_organisation_id, m.to_organisation_id,
           m.actions
         FROM handover_moves m JOIN recommendations r ON r.id = m.recommendation_id
         WHERE m.handover_id = ${q.add(id)} AND ${moveVisible(actor, 'm', q)}
         ORDER BY m.to_organisation_id, r.inspection_id, r.ordinal`,
        q.values,
      )
    ).map((m: Record<string, any>): HandoverMoveView => ({
      recommendationId: m.recommendation_id,
      reference: m.reference,
      inspectionId: m.inspection_id,
      fromOrganisationId: m.from_organisation_id,
      toOrganisationId: m.to_organisation_id,
      actions: m.actions,
    }));
    return {
      ...summaryView(row, { recommendations: moves.length, actions: moves.reduce((n, m) => n + m.actions, 0) }),
      moves,
      unassigned: (row.summary.unassigned ?? []).filter((u) => inScope(actor, u.organisationId)),
      staying: (row.summary.staying ?? []).filter((s) => inScope(actor, s.organisationId)),
    };
  }

  // ---- planning ----

  private async plan(manager: Queryable, actor: Actor, input: HandoverInput, lock: boolean): Promise<Plan> {
    const problems: Problem[] = [];
    const predecessorIds = [...new Set(input.fromOrganisationIds)];
    const successorIds = [
      ...new Set([
        ...input.allocations.map((a) => a.toOrganisationId),
        ...(input.defaultToOrganisationId ? [input.defaultToOrganisationId] : []),
      ]),
    ];
    // Locking the organisations first serialises hand-overs (and edits) touching the same ones.
    const organisations: OrganisationRow[] = await manager.query(
      `SELECT id, name, kind, status FROM organisations WHERE id = ANY($1::uuid[]) ORDER BY id
       ${lock ? 'FOR UPDATE' : ''}`,
      [[...predecessorIds, ...successorIds]],
    );
    const byId = new Map(organisations.map((o) => [o.id, o]));
    // The organisations handed over are the subject of the request: outside one's scope they do not exist.
    const predecessors = predecessorIds.map((id) => {
      const o = byId.get(id);
      if (!o || !inScope(actor, id)) throw DomainException.notFound('Organisation');
      return o;
    });
    const successorField = (id: string) => {
      const i = input.allocations.findIndex((a) => a.toOrganisationId === id);
      return i >= 0 ? `allocations[${i}].toOrganisationId` : 'defaultToOrganisationId';
    };
    for (const id of successorIds) {
      const o = byId.get(id);
      const field = successorField(id);
      if (!o || !inScope(actor, id)) {
        throw DomainException.invalid(field, 'no organisation you oversee has this id');
      }
      if (predecessorIds.includes(id)) {
        problems.push({ field, rule: 'successor-not-predecessor', message: `${o.name} is one of the predecessors` });
      } else if (o.status !== 'active') {
        problems.push({ field, rule: 'successor-active', message: `${o.name} is dissolved: it cannot take work over` });
      } else if (o.kind === 'inspectorate' || o.kind === 'oversight') {
        problems.push({
          field,
          rule: 'successor-owns-recommendations',
          message: `${o.name} is an inspectorate or oversight body: it does not own recommendations`,
        });
      }
    }

    const recommendations: RecommendationRow[] = await manager.query(
      `SELECT r.id, r.reference, r.inspection_id, r.owner_organisation_id, r.response,
         c.total, c.not_started, c.completed, c.verified
       FROM recommendations r CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE a.status <> 'cancelled')::int AS total,
           count(*) FILTER (WHERE a.status = 'not_started')::int AS not_started,
           count(*) FILTER (WHERE a.status = 'completed')::int AS completed,
           count(*) FILTER (WHERE a.status = 'verified')::int AS verified
         FROM actions a WHERE a.recommendation_id = r.id) c
       WHERE r.owner_organisation_id = ANY($1::uuid[])
       ORDER BY r.owner_organisation_id, r.inspection_id, r.ordinal
       ${lock ? 'FOR UPDATE OF r' : ''}`,
      [predecessorIds],
    );
    const statusOf = (r: RecommendationRow) =>
      recommendationStatus(r.response, {
        total: r.total,
        notStarted: r.not_started,
        completed: r.completed,
        verified: r.verified,
        overdue: 0,
      });
    const open = recommendations.filter((r) => !CLOSED_RECOMMENDATION_STATUSES.includes(statusOf(r)));
    const staying: StayingRecommendationView[] = recommendations
      .filter((r) => CLOSED_RECOMMENDATION_STATUSES.includes(statusOf(r)))
      .map((r) => ({
        recommendationId: r.id,
        reference: r.reference,
        organisationId: r.owner_organisation_id,
        status: statusOf(r),
      }));

    const allocated = new Map<string, string>();
    input.allocations.forEach((a, i) => {
      const field = `allocations[${i}].recommendationId`;
      const rec = recommendations.find((r) => r.id === a.recommendationId);
      if (allocated.has(a.recommendationId)) {
        problems.push({ field, rule: 'allocation-unique', message: 'this recommendation is allocated twice' });
      } else if (!rec) {
        problems.push({
          field,
          rule: 'allocation-of-predecessor',
          message: 'no recommendation of the organisations handed over has this id',
        });
      } else if (!open.includes(rec)) {
        problems.push({
          field,
          rule: 'closed-recommendations-stay',
          message: `${rec.reference} is ${statusOf(rec).replace('_', ' ')}: closed recommendations stay with the predecessor`,
        });
      }
      allocated.set(a.recommendationId, a.toOrganisationId);
    });

    const unallocated: Plan['unallocated'] = [];
    const moves: Plan['moves'] = [];
    for (const r of open) {
      const to = allocated.get(r.id) ?? input.defaultToOrganisationId ?? null;
      if (!to) {
        unallocated.push({ recommendationId: r.id, reference: r.reference, organisationId: r.owner_organisation_id });
        problems.push({
          field: 'allocations',
          rule: 'open-recommendations-allocated',
          message: `${r.reference} (${r.id}) of ${byId.get(r.owner_organisation_id)!.name} is open and not allocated to a successor`,
        });
        continue;
      }
      moves.push({
        recommendationId: r.id,
        reference: r.reference,
        inspectionId: r.inspection_id,
        fromOrganisationId: r.owner_organisation_id,
        toOrganisationId: to,
        actions: 0,
        actionRows: [],
      });
    }

    const actions: ActionRow[] = moves.length
      ? await manager.query(
          `SELECT a.id, a.recommendation_id, a.inspection_id, a.title, a.status, a.owner_id, u.name AS owner_name,
             EXISTS (SELECT 1 FROM users s WHERE s.id = a.owner_id AND s.organisation_id = p.to_org
                     AND s.role = 'senior_manager' AND s.active) AS keeps_owner
           FROM actions a
           JOIN unnest($1::uuid[], $2::uuid[]) AS p(rec, to_org) ON p.rec = a.recommendation_id
           LEFT JOIN users u ON u.id = a.owner_id
           ORDER BY a.recommendation_id, a.due_date, a.id
           ${lock ? 'FOR UPDATE OF a' : ''}`,
          [moves.map((m) => m.recommendationId), moves.map((m) => m.toOrganisationId)],
        )
      : [];
    const unassigned: UnassignedActionView[] = [];
    for (const move of moves) {
      move.actionRows = actions.filter((a) => a.recommendation_id === move.recommendationId);
      move.actions = move.actionRows.length;
      for (const a of move.actionRows) {
        if (loses(a)) {
          unassigned.push({
            actionId: a.id,
            recommendationId: a.recommendation_id,
            title: a.title,
            organisationId: move.toOrganisationId,
            previousOwner: { id: a.owner_id!, name: a.owner_name ?? '' },
          });
        }
      }
    }
    return { predecessors, successorIds, problems, moves, unassigned, staying, unallocated };
  }

  // ---- doing ----

  private async execute(manager: Queryable, actor: Actor, input: HandoverInput, plan: Plan): Promise<string> {
    const dissolve = input.dissolvePredecessors ?? false;
    const summary = { unassigned: plan.unassigned, staying: plan.staying };
    const [{ id }] = await manager.query(
      `INSERT INTO handovers (kind, effective_on, created_by, dissolved_predecessors, summary)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [input.kind, input.effectiveOn, actor.id, dissolve, JSON.stringify(summary)],
    );
    const predecessorIds = plan.predecessors.map((o) => o.id);
    await manager.query(
      `INSERT INTO handover_organisations (handover_id, organisation_id, role)
       SELECT $1::uuid, o, 'predecessor' FROM unnest($2::uuid[]) o
       UNION ALL SELECT $1::uuid, o, 'successor' FROM unnest($3::uuid[]) o`,
      [id, predecessorIds, plan.successorIds],
    );

    const names = new Map<string, string>(
      (
        await manager.query(`SELECT id, name FROM organisations WHERE id = ANY($1::uuid[])`, [
          [...predecessorIds, ...plan.successorIds],
        ])
      ).map((o: { id: string; name: string }) => [o.id, o.name]),
    );
    const why = (from: string, to: string) =>
      `Handed over from ${names.get(from)} to ${names.get(to)} (${input.kind}, effective ${input.effectiveOn})`;
    const events: DomainEvent[] = [];

    if (plan.moves.length > 0) {
      const recs = plan.moves.map((m) => m.recommendationId);
      const froms = plan.moves.map((m) => m.fromOrganisationId);
      const tos = plan.moves.map((m) => m.toOrganisationId);
      await manager.query(
        `INSERT INTO handover_moves (handover_id, recommendation_id, from_organisation_id, to_organisation_id, actions)
         SELECT $1::uuid, * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::int[])`,
        [id, recs, froms, tos, plan.moves.map((m) => m.actions)],
      );
      await manager.query(
        `UPDATE recommendations r SET owner_organisation_id = p.to_org, version = r.version + 1, updated_at = now()
         FROM unnest($1::uuid[], $2::uuid[]) AS p(rec, to_org) WHERE r.id = p.rec`,
        [recs, tos],
      );
      await manager.query(
        `INSERT INTO recommendation_updates (recommendation_id, actor_id, kind, changes, comment, handover_id)
         SELECT rec, $1::uuid, 'handover', changes, comment, $2::uuid
         FROM unnest($3::uuid[], $4::jsonb[], $5::text[]) AS t(rec, changes, comment)`,
        [
          actor.id,
          id,
          recs,
          plan.moves.map((m) =>
            JSON.stringify([{ field: 'ownerOrganisationId', from: m.fromOrganisationId, to: m.toOrganisationId }]),
          ),
          plan.moves.map((m) => why(m.fromOrganisationId, m.toOrganisationId)),
        ],
      );
      for (const m of plan.moves) {
        events.push({
          type: 'recommendation-changed',
          aggregateId: m.recommendationId,
          payload: {
            recommendationId: m.recommendationId,
            inspectionId: m.inspectionId,
            organisationId: m.toOrganisationId,
            fields: ['ownerOrganisationId'],
            previousOrganisationId: m.fromOrganisationId,
          },
        });
      }

      const actionMoves = plan.moves.flatMap((m) => m.actionRows.map((a) => ({ move: m, action: a })));
      if (actionMoves.length > 0) {
        const unassignedIds = plan.unassigned.map((u) => u.actionId);
        const updated = returnedRows<{ id: string; version: number }>(
          await manager.query(
            `UPDATE actions a SET organisation_id = p.to_org,
               owner_id = CASE WHEN a.id = ANY($3::uuid[]) THEN NULL ELSE a.owner_id END,
               version = a.version + 1, updated_at = now()
             FROM unnest($1::uuid[], $2::uuid[]) AS p(rec, to_org) WHERE a.recommendation_id = p.rec
             RETURNING a.id, a.version`,
            [recs, tos, unassignedIds],
          ),
        );
        const versions = new Map(updated.map((u) => [u.id, u.version]));
        const changesOf = ({ move, action }: (typeof actionMoves)[number]): FieldChange[] => [
          { field: 'organisationId', from: move.fromOrganisationId, to: move.toOrganisationId },
          ...(loses(action) ? [{ field: 'ownerId', from: action.owner_id, to: null }] : []),
        ];
        await manager.query(
          `INSERT INTO action_updates (action_id, actor_id, kind, changes, comment, handover_id)
           SELECT action_id, $1::uuid, 'handover', changes, comment, $2::uuid
           FROM unnest($3::uuid[], $4::jsonb[], $5::text[]) AS t(action_id, changes, comment)`,
          [
            actor.id,
            id,
            actionMoves.map((x) => x.action.id),
            actionMoves.map((x) => JSON.stringify(changesOf(x))),
            actionMoves.map(({ move, action }) =>
              loses(action)
                ? `${why(move.fromOrganisationId, move.toOrganisationId)}; its owner does not belong to ` +
                  `${names.get(move.toOrganisationId)}, so it is unassigned until a senior manager there takes it`
                : why(move.fromOrganisationId, move.toOrganisationId),
            ),
          ],
        );
        for (const x of actionMoves) {
          const ref = {
            actionId: x.action.id,
            recommendationId: x.move.recommendationId,
            inspectionId: x.action.inspection_id,
            organisationId: x.move.toOrganisationId,
          };
          events.push({
            type: 'action-changed',
            aggregateId: x.action.id,
            payload: {
              ...ref,
              fields: changesOf(x).map((c) => c.field),
              version: versions.get(x.action.id) ?? 0,
              actorId: actor.id,
              previousOrganisationId: x.move.fromOrganisationId,
            },
          });
          if (loses(x.action)) {
            events.push({
              type: 'action-owner-changed',
              aggregateId: x.action.id,
              payload: { ...ref, from: x.action.owner_id, to: null, actorId: actor.id },
            });
          }
        }
      }
    }

    if (plan.successorIds.length > 0) {
      await manager.query(
        `INSERT INTO organisation_successors (predecessor_id, successor_id)
         SELECT p, s FROM unnest($1::uuid[]) p CROSS JOIN unnest($2::uuid[]) s ON CONFLICT DO NOTHING`,
        [predecessorIds, plan.successorIds],
      );
    }
    if (dissolve) {
      await manager.query(
        `UPDATE organisations SET status = 'dissolved', dissolved_on = $2, version = version + 1, updated_at = now()
         WHERE id = ANY($1::uuid[]) AND status = 'active'`,
        [predecessorIds, input.effectiveOn],
      );
    }
    await writeOutbox(manager, events);
    return id;
  }

  // ---- reading ----

  private async handovers(where: string, p: SqlParams, tail: string): Promise<HandoverRow[]> {
    return this.read.query(
      `SELECT h.id, h.kind, h.effective_on, h.created_by, u.name AS created_by_name, h.created_at,
         to_char(h.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key,
         h.dissolved_predecessors, h.summary,
         ARRAY(SELECT o.organisation_id FROM handover_organisations o WHERE o.handover_id = h.id
               AND o.role = 'predecessor' ORDER BY o.organisation_id) AS predecessor_ids,
         ARRAY(SELECT o.organisation_id FROM handover_organisations o WHERE o.handover_id = h.id
               AND o.role = 'successor' ORDER BY o.organisation_id) AS successor_ids
       FROM handovers h LEFT JOIN users u ON u.id = h.created_by
       WHERE ${where} ORDER BY h.created_at DESC, h.id DESC ${tail}`,
      p.values,
    );
  }

  private async moveCounts(
    actor: Actor,
    ids: string[],
  ): Promise<Map<string, { recommendations: number; actions: number }>> {
    if (ids.length === 0) return new Map();
    const p = new SqlParams();
    const rows: { handover_id: string; recommendations: number; actions: number }[] = await this.read.query(
      `SELECT m.handover_id, count(*)::int AS recommendations, coalesce(sum(m.actions), 0)::int AS actions
       FROM handover_moves m WHERE m.handover_id = ANY(${p.add(ids)}::uuid[]) AND ${moveVisible(actor, 'm', p)}
       GROUP BY m.handover_id`,
      p.values,
    );
    return new Map(rows.map((r) => [r.handover_id, r]));
  }
}

/** An open or completed action whose owner is not a senior manager of its new organisation. */
function loses(a: ActionRow): boolean {
  return a.owner_id !== null && !a.keeps_owner && !FROZEN_ACTION_STATUSES.includes(a.status);
}

/**
 * Who sees a hand-over: those who oversee (or administer) any organisation in it; members of an organisation
 * only the hand-overs it took work from (as a successor), so a predecessor's former staff learn nothing new.
 */
function visible(actor: Actor, alias: string, p: SqlParams): string {
  if (actor.role === 'admin') return 'TRUE';
  const successorOnly = actor.role === 'senior_manager' || actor.role === 'viewer' ? `AND v.role = 'successor'` : '';
  return `EXISTS (SELECT 1 FROM handover_organisations v WHERE v.handover_id = ${alias}.id ${successorOnly}
    AND ${scopeCondition(actor, 'v.organisation_id', (x) => p.add(x))})`;
}

/** The moves one sees: into one's organisations, or (overseeing) out of them. */
function moveVisible(actor: Actor, alias: string, p: SqlParams): string {
  if (actor.role === 'admin') return 'TRUE';
  const into = scopeCondition(actor, `${alias}.to_organisation_id`, (x) => p.add(x));
  if (actor.role !== 'performance_manager') return into;
  return `(${into} OR ${scopeCondition(actor, `${alias}.from_organisation_id`, (x) => p.add(x))})`;
}

function summaryView(row: HandoverRow, counts: { recommendations: number; actions: number }): HandoverSummaryView {
  return {
    id: row.id,
    kind: row.kind,
    effectiveOn: row.effective_on,
    createdBy: row.created_by ? { id: row.created_by, name: row.created_by_name ?? '' } : null,
    createdAt: iso(row.created_at)!,
    predecessorIds: row.predecessor_ids,
    successorIds: row.successor_ids,
    dissolvedPredecessors: row.dissolved_predecessors,
    recommendationsMoved: counts.recommendations,
    actionsMoved: counts.actions,
  };
}

function planView(input: HandoverInput, plan: Plan): HandoverPlanView {
  return {
    dryRun: true,
    ok: plan.problems.length === 0,
    problems: plan.problems,
    kind: input.kind,
    effectiveOn: input.effectiveOn,
    predecessorIds: plan.predecessors.map((o) => o.id),
    successorIds: plan.successorIds,
    dissolvePredecessors: input.dissolvePredecessors ?? false,
    moves: plan.moves.map(({ actionRows: _rows, ...move }) => move),
    actionsMoved: plan.moves.reduce((n, m) => n + m.actions, 0),
    unassigned: plan.unassigned,
    staying: plan.staying,
    unallocated: plan.unallocated,
  };
}
