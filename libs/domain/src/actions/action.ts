import { Role } from '../access/roles';

export const ACTION_STATUSES = ['not_started', 'in_progress', 'blocked', 'completed', 'verified', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
/** Statuses in which an action is still being worked on (and can be overdue). */
export const OPEN_STATUSES: readonly ActionStatus[] = ['not_started', 'in_progress', 'blocked'];
/** SQL for OPEN_STATUSES, written exactly as the partial indexes' predicate so the planner can use them. */
export const OPEN_STATUS_SQL = `IN ('not_started', 'in_progress', 'blocked')`;

export const RAGS = ['red', 'amber', 'green', 'complete'] as const;
export type Rag = (typeof RAGS)[number];

/** An action due within this many days, with progress under AMBER_PROGRESS, is amber. */
export const AMBER_WINDOW_DAYS = 14;
export const AMBER_PROGRESS = 50;

export interface ActionView {
  id: string;
  recommendationId: string;
  inspectionId: string;
  organisationId: string;
  title: string;
  description: string | null;
  ownerId: string | null;
  dueDate: string;
  originalDueDate: string;
  status: ActionStatus;
  progress: number;
  evidence: string | null;
  /** Derived; null for a cancelled action, which is not rated. */
  rag: Rag | null;
  overdue: boolean;
  daysOverdue: number;
  completedAt: string | null;
  verifiedAt: string | null;
  verifiedById: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CreateActionInput {
  title: string;
  description?: string | null;
  ownerId?: string | null;
  dueDate: string;
  evidence?: string | null;
}

export interface UpdateActionInput {
  title?: string;
  description?: string | null;
  ownerId?: string | null;
  dueDate?: string;
  status?: ActionStatus;
  progress?: number;
  evidence?: string | null;
  comment?: string;
}

export interface ActionFilter {
  /** A user id; the API turns `owner=me` into the caller's id. */
  ownerId?: string;
  /** Only actions with no owner (e.g. left unassigned by a hand-over); the API's `owner=none`. */
  unassigned?: boolean;
  organisationId?: string;
  inspectionId?: string;
  recommendationId?: string;
  statuses?: ActionStatus[];
  rag?: Rag;
  overdue?: boolean;
  /** Exclusive bounds on the due date. */
  dueBefore?: string;
  dueAfter?: string;
}

/** Counts for a list page: open actions past due, open actions due within the amber window, and the rest. */
export interface ActionDueCounts {
  overdue: number;
  dueSoon: number;
  later: number;
  total: number;
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface ActionUpdateView {
  id: string;
  actionId: string;
  kind: 'created' | 'updated' | 'comment' | 'handover';
  actor: { id: string; name: string } | null;
  at: string;
  changes: FieldChange[];
  comment: string | null;
  /** The hand-over that wrote this entry (kind `handover`), else null. */
  handoverId: string | null;
}

export type { Role };
