import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, scopeCondition } from '../access/actor';
import { ActionStatus, Rag } from '../actions/action';
import { daysOverdue, ragOf } from '../actions/action-rules';
import { InspectionsService } from '../inspections/inspections.service';
import { OrganisationsService } from '../organisations/organisations.service';
import {
  Priority,
  RecommendationResponse,
  RecommendationSource,
  Theme,
  THEMES,
} from '../recommendations/recommendation';
import { recommendationProgress, recommendationStatus } from '../recommendations/recommendation-status';
import { Clock } from '../shared/clock';
import { londonDateOf } from '../shared/dates';
import { DomainException } from '../shared/domain.exception';
import { iso, poolReader, Queryable, SqlParams } from '../shared/sql';
import {
  ActionPlanAction,
  ActionPlanExport,
  ActionPlanRecommendation,
  ActionPlanRow,
  ActionPlanSource,
  ActionPlanView,
  RESPONSE_WORDING,
} from './action-plan';

/** One recommendation joined to one of its actions (or to none), with the action's latest history entry. */
interface PlanRow {
  organisation_id: string;
  organisation_name: string;
  inspection_title: string;
  recommendation_id: string;
  reference: string;
  text: string;
  theme: Theme;
  priority: Priority;
  source: RecommendationSource;
  target_date: string | null;
  response: RecommendationResponse;
  response_rationale: string | null;
  action_id: string | null;
  title: string | null;
  description: string | null;
  owner_id: string | null;
  owner_name: string | null;
  owner_email: string | null;
  due_date: string | null;
  original_due_date: string | null;
  status: ActionStatus | null;
  progress: number | null;
  /** Snapshots only: as frozen. */
  frozen_rag: Rag | null;
  frozen_days_overdue: number | null;
  completed_at: Date | null;
  verified_at: Date | null;
  update_at: Date | null;
  update_by_id: string | null;
  update_by_name: string | null;
  update_comment: string | null;
}

const RECOMMENDATION_COLUMNS = `r.owner_organisation_id AS organisation_id, o.name AS organisation_name,
  i.title AS inspection_title, r.id AS recommendation_id, r.reference, r.text, r.theme, r.priority, r.source,
  r.target_date, r.response, r.response_rationale`;

const OWNER_COLUMNS = `a.title, a.description, a.owner_id, u.name AS owner_name, u.email AS owner_email`;

/** The latest history entry of `a`, no later than `$until` when given. */
const latestUpdate = (until?: string) => `LEFT JOIN LATERAL (
    SELECT au.created_at, au.actor_id, usr.name, au.comment FROM action_updates au
    LEFT JOIN users usr ON usr.id = au.actor_id
    WHERE au.action_id = a.id ${until ? `AND au.created_at <= ${until}` : ''}
    ORDER BY au.created_at DESC, au.id DESC LIMIT 1
  ) lu ON TRUE`;

const UPDATE_COLUMNS = `lu.created_at AS update_at, lu.actor_id AS update_by_id, lu.name AS update_by_name,
  lu.comment AS update_comment`;

interface Planned {
  recommendation: PlanRow;
  actions: { row: PlanRow; status: ActionStatus; rag: Rag | null; daysOverdue: number }[];
}

/**
 * Action plans as read: an inspection's plan for the printable page, and the rows of an action-plan export (an
 * inspection, an organisation, or a snapshot as it was frozen). Every read is limited to the caller's scope.
 */
@Injectable()
export class ActionPlansService {
  private readonly read: Queryable;

  constructor(
    @InjectDataSource() db: DataSource,
    private readonly inspections: InspectionsService,
    private readonly organisations: OrganisationsService,
    private readonly clock: Clock,
  ) {
    this.read = poolReader(db);
  }

  async forInspection(actor: Actor, inspectionId: string): Promise<ActionPlanView> {
    const inspection = await this.inspections.get(actor, inspectionId);
    const today = londonDateOf(this.clock.now());
    const planned = this.plan(await this.liveRows(actor, 'r.inspection_id', inspectionId), today);
    return {
      inspection: {
        id: inspection.id,
        title: inspection.title,
        programme: inspection.programme,
        publishedOn: inspection.publishedOn,
        publishedOnApproximate: inspection.publishedOnApproximate,
        reportUrl: inspection.reportUrl,
        organisation: { id: inspection.organisationId, name: inspection.organisationName },
        inspectorate: { id: inspection.inspectorateId, name: inspection.inspectorateName },
      },
      asOfDate: today,
      recommendations: planned.map((p) => this.recommendationOf(p)),
    };
  }

  async export(actor: Actor, source: ActionPlanSource): Promise<ActionPlanExport> {
    switch (source.kind) {
      case 'inspection': {
        const inspection = await this.inspections.get(actor, source.id);
        const today = londonDateOf(this.clock.now());
        const rows = await this.liveRows(actor, 'r.inspection_id', source.id);
        return { name: inspection.title, asOfDate: today, rows: this.flatten(this.plan(rows, today)) };
      }
      case 'organisation': {
        const organisation = await this.organisations.get(actor, source.id);
        const today = londonDateOf(this.clock.now());
        const rows = await this.liveRows(actor, 'r.owner_organisation_id', source.id);
        return { name: organisation.name, asOfDate: today, rows: this.flatten(this.plan(rows, today)) };
      }
      case 'snapshot': {
        const snapshots: { name: string; as_of_date: string }[] = await this.read.query(
          `SELECT name, as_of_date FROM snapshots WHERE id = $1`,
          [source.id],
        );
        if (snapshots.length === 0) throw DomainException.notFound('Snapshot');
        const { name, as_of_date: asOfDate } = snapshots[0];
        return { name, asOfDate, rows: this.flatten(this.plan(await this.snapshotRows(actor, source.id), asOfDate)) };
      }
    }
  }

  /** Recommendations in scope matching `column = id`, each with its actions (or once, without). */
  private async liveRows(actor: Actor, column: string, id: string): Promise<PlanRow[]> {
    const p = new SqlParams();
    return this.read.query(
      `SELECT ${RECOMMENDATION_COLUMNS}, a.id AS action_id, ${OWNER_COLUMNS}, a.due_date, a.original_due_date,
         a.status, a.progress, NULL AS frozen_rag, NULL AS frozen_days_overdue, a.completed_at, a.verified_at,
         ${UPDATE_COLUMNS}
       FROM recommendations r
       JOIN inspections i ON i.id = r.inspection_id
       JOIN organisations o ON o.id = r.owner_organisation_id
       LEFT JOIN actions a ON a.recommendation_id = r.id
       LEFT JOIN users u ON u.id = a.owner_id
       ${latestUpdate()}
       WHERE ${column} = ${p.add(id)} AND ${scopeCondition(actor, 'r.owner_organisation_id', (v) => p.add(v))}
       ORDER BY i.published_on, i.id, r.ordinal, a.due_date, a.title, a.id`,
      p.values,
    );
  }

  /**
   * The actions frozen in a snapshot that the caller may see (by the organisation that owned them then), with
   * their frozen status, progress, RAG and dates; titles, owners and recommendations as they are now; the latest
   * update made before the snapshot was taken.
   */
  private async snapshotRows(actor: Actor, snapshotId: string): Promise<PlanRow[]> {
    const p = new SqlParams();
    const id = p.add(snapshotId);
    return this.read.query(
      `SELECT ${RECOMMENDATION_COLUMNS.replace('r.owner_organisation_id AS', 'sa.organisation_id AS')},
         a.id AS action_id, ${OWNER_COLUMNS}, sa.due_date, sa.original_due_date, sa.status, sa.progress,
         sa.rag AS frozen_rag, sa.days_overdue AS frozen_days_overdue,
         CASE WHEN a.completed_at <= s.taken_at THEN a.completed_at END AS completed_at,
         CASE WHEN a.verified_at <= s.taken_at THEN a.verified_at END AS verified_at,
         ${UPDATE_COLUMNS}
       FROM snapshot_actions sa
       JOIN snapshots s ON s.id = sa.snapshot_id
       JOIN actions a ON a.id = sa.action_id
       JOIN recommendations r ON r.id = sa.recommendation_id
       JOIN inspections i ON i.id = sa.inspection_id
       JOIN organisations o ON o.id = sa.organisation_id
       LEFT JOIN users u ON u.id = a.owner_id
       ${latestUpdate('s.taken_at')}
       WHERE sa.snapshot_id = ${id} AND ${scopeCondition(actor, 'sa.organisation_id', (v) => p.add(v))}
       ORDER BY o.name, sa.organisation_id, i.published_on, i.id, r.ordinal, sa.due_date, a.title, a.id`,
      p.values,
    );
  }

  /** Groups rows by recommendation (they arrive in order) and rates each action as of `today`. */
  private plan(rows: PlanRow[], today: string): Planned[] {
    const planned: Planned[] = [];
    for (const row of rows) {
      let last = planned[planned.length - 1];
      if (!last || last.recommendation.recommendation_id !== row.recommendation_id) {
        planned.push((last = { recommendation: row, actions: [] }));
      }
      if (!row.action_id) continue;
      const state = { status: row.status!, dueDate: row.due_date!, progress: row.progress! };
      last.actions.push({
        row,
        status: row.status!,
        rag: row.frozen_days_overdue === null ? ragOf(state, today) : row.frozen_rag,
        daysOverdue: row.frozen_days_overdue ?? daysOverdue(state, today),
      });
    }
    return planned;
  }

  private statusOf(p: Planned) {
    const counted = p.actions.filter((a) => a.status !== 'cancelled');
    const counts = {
      total: counted.length,
      notStarted: counted.filter((a) => a.status === 'not_started').length,
      completed: counted.filter((a) => a.status === 'completed').length,
      verified: counted.filter((a) => a.status === 'verified').length,
      overdue: counted.filter((a) => a.daysOverdue > 0).length,
    };
    return {
      status: recommendationStatus(p.recommendation.response, counts),
      progress: recommendationProgress(counts),
    };
  }

  private recommendationOf(p: Planned): ActionPlanRecommendation {
    const r = p.recommendation;
    return {
      id: r.recommendation_id,
      reference: r.reference,
      text: r.text,
      theme: r.theme,
      themeName: THEMES[r.theme],
      priority: r.priority,
      source: r.source,
      ownerOrganisation: { id: r.organisation_id, name: r.organisation_name },
      response: r.response,
      responseWording: RESPONSE_WORDING[r.response],
      responseRationale: r.response_rationale,
      targetDate: r.target_date,
      ...this.statusOf(p),
      actions: p.actions.map(({ row: a, rag, daysOverdue: late }): ActionPlanAction => ({
        id: a.action_id!,
        title: a.title!,
        description: a.description,
        owner: a.owner_id ? { id: a.owner_id, name: a.owner_name!, email: a.owner_email! } : null,
        dueDate: a.due_date!,
        originalDueDate: a.original_due_date!,
        status: a.status!,
        progress: a.progress!,
        rag,
        overdue: late > 0,
        daysOverdue: late,
        completedAt: iso(a.completed_at),
        verifiedAt: iso(a.verified_at),
        latestUpdate: a.update_at
          ? {
              at: iso(a.update_at)!,
              by: a.update_by_id ? { id: a.update_by_id, name: a.update_by_name ?? '' } : null,
              comment: a.update_comment,
            }
          : null,
      })),
    };
  }

  private flatten(planned: Planned[]): ActionPlanRow[] {
    return planned.flatMap((p): ActionPlanRow[] => {
      const r = p.recommendation;
      const recommendation = {
        organisation: r.organisation_name,
        inspection: r.inspection_title,
        reference: r.reference,
        text: r.text,
        theme: r.theme,
        priority: r.priority,
        source: r.source,
        targetDate: r.target_date,
        response: r.response,
        responseRationale: r.response_rationale,
        recommendationStatus: this.statusOf(p).status,
      };
      const none = {
        actionTitle: null,
        actionDescription: null,
        actionOwnerName: null,
        actionOwnerEmail: null,
        actionDueDate: null,
        actionOriginalDueDate: null,
        actionStatus: null,
        actionProgress: null,
        actionRag: null,
        actionDaysOverdue: null,
        latestUpdateAt: null,
        latestUpdateBy: null,
        latestUpdateComment: null,
      };
      if (p.actions.length === 0) return [{ ...recommendation, ...none }];
      return p.actions.map(({ row: a, rag, daysOverdue: late }) => ({
        ...recommendation,
        actionTitle: a.title,
        actionDescription: a.description,
        actionOwnerName: a.owner_name,
        actionOwnerEmail: a.owner_email,
        actionDueDate: a.due_date,
        actionOriginalDueDate: a.original_due_date,
        actionStatus: a.status,
        actionProgress: a.progress,
        actionRag: rag,
        actionDaysOverdue: late,
        latestUpdateAt: iso(a.update_at),
        latestUpdateBy: a.update_by_name,
        latestUpdateComment: a.update_comment,
      }));
    });
  }
}
