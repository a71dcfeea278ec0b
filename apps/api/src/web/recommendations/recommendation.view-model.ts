import {
  ActionPlanAction,
  ActionState,
  DomainException,
  planActionUpdate,
  Priority,
  RecommendationStatus,
  RecommendationView,
  RESPONSE_WORDING,
  Role,
  roleHas,
  THEMES,
} from '@rt/domain';
import { ragTag } from '../actions/action.view-model';

export const RECOMMENDATION_STATUS_LABELS: Record<RecommendationStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  implemented: 'Implemented',
  verified: 'Verified',
  not_accepted: 'Not accepted',
};

export const PRIORITY_LABELS: Record<Priority, string> = { high: 'High', medium: 'Medium', low: 'Low' };

/** The recommendation in words, for its summary list. */
export function recommendationDetails(recommendation: RecommendationView, organisationName: string) {
  return {
    ...recommendation,
    themeLabel: THEMES[recommendation.theme],
    priorityLabel: PRIORITY_LABELS[recommendation.priority],
    responseLabel: RESPONSE_WORDING[recommendation.response],
    statusLabel: RECOMMENDATION_STATUS_LABELS[recommendation.status],
    organisationName,
  };
}

/**
 * Whether this role may give the action a new owner, asked of the domain's own update planner (it refuses
 * performance managers, who only verify and reopen, and closed actions) with a made-up new owner. Which owners
 * are allowed is checked when the change is made.
 */
export function mayAssign(role: Role, action: ActionState): boolean {
  if (!roleHas(role, 'actions:update')) return false;
  try {
    planActionUpdate(role, action, { ownerId: `${action.ownerId ?? ''}-someone-else` });
    return true;
  } catch (error) {
    if (error instanceof DomainException) return false;
    throw error;
  }
}

/** One row of the recommendation's actions table. */
export function actionRow(action: ActionPlanAction, role: Role) {
  const state: ActionState = {
    title: action.title,
    description: action.description,
    ownerId: action.owner?.id ?? null,
    dueDate: action.dueDate,
    status: action.status,
    progress: action.progress,
    evidence: null,
  };
  return {
    id: action.id,
    title: action.title,
    ownerName: action.owner?.name ?? 'Not assigned',
    dueDate: action.dueDate,
    overdue: action.overdue,
    daysOverdue: action.daysOverdue,
    status: action.status,
    progress: action.progress,
    rag: ragTag(action.rag),
    canAssign: mayAssign(role, state),
  };
}
