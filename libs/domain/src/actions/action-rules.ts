import { Role } from '../access/roles';
import { DomainException } from '../shared/domain.exception';
import { addDays, daysBetween, IsoDate } from '../shared/dates';
import {
  ActionStatus,
  AMBER_PROGRESS,
  AMBER_WINDOW_DAYS,
  FieldChange,
  OPEN_STATUSES,
  Rag,
  UpdateActionInput,
} from './action';

/** The lifecycle in DOMAIN.md: not_started → in_progress ⇄ blocked → completed → verified; reopen; cancel. */
export const TRANSITIONS: Readonly<Record<ActionStatus, readonly ActionStatus[]>> = {
  not_started: ['in_progress', 'cancelled'],
  in_progress: ['blocked', 'completed', 'cancelled'],
  blocked: ['in_progress', 'completed', 'cancelled'],
  completed: ['verified', 'in_progress', 'cancelled'],
  verified: ['in_progress'],
  cancelled: [],
};

export function isOpen(status: ActionStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** RAG as DOMAIN.md defines it, for the calendar date `today`. */
export function ragOf(
  action: { status: ActionStatus; dueDate: IsoDate; progress: number },
  today: IsoDate,
): Rag | null {
  if (action.status === 'cancelled') return null;
  if (action.status === 'completed' || action.status === 'verified') return 'complete';
  if (action.status === 'blocked' || action.dueDate < today) return 'red';
  if (action.dueDate <= addDays(today, AMBER_WINDOW_DAYS) && action.progress < AMBER_PROGRESS) return 'amber';
  return 'green';
}

/**
 * ragOf() as a SQL expression, for statements that work out RAG for many actions at once: `alias` names the row
 * (status, due_date, progress) and `today` is a SQL date expression (e.g. a parameter). Kept beside ragOf() and
 * tested against it, so the rule has one home.
 */
export function ragSql(alias: string, today: string): string {
  return `CASE WHEN ${alias}.status = 'cancelled' THEN NULL
    WHEN ${alias}.status IN ('completed', 'verified') THEN 'complete'
    WHEN ${alias}.status = 'blocked' OR ${alias}.due_date < ${today} THEN 'red'
    WHEN ${alias}.due_date <= ${today} + ${AMBER_WINDOW_DAYS} AND ${alias}.progress < ${AMBER_PROGRESS} THEN 'amber'
    ELSE 'green' END`;
}

export function daysOverdue(action: { status: ActionStatus; dueDate: IsoDate }, today: IsoDate): number {
  return isOpen(action.status) && action.dueDate < today ? daysBetween(action.dueDate, today) : 0;
}

export interface ActionState {
  title: string;
  description: string | null;
  ownerId: string | null;
  dueDate: IsoDate;
  status: ActionStatus;
  progress: number;
  evidence: string | null;
}

export interface PlannedUpdate {
  /** The new values of the fields that change. */
  next: ActionState;
  changes: FieldChange[];
  comment: string | null;
}

const EDITABLE_FIELDS = ['title', 'description', 'ownerId', 'dueDate', 'status', 'progress', 'evidence'] as const;
type EditableField = (typeof EDITABLE_FIELDS)[number];

const blank = (s: string | undefined | null) => !s || s.trim() === '';

/**
 * Decides what an update does, or refuses it naming the rule. Pure: the service loads the row under lock,
 * calls this, and writes the result with its history row and outbox events.
 */
export function planActionUpdate(role: Role, current: ActionState, input: UpdateActionInput): PlannedUpdate {
  const comment = blank(input.comment) ? null : input.comment!.trim();
  const next: ActionState = { ...current };
  for (const field of EDITABLE_FIELDS) {
    if (input[field] !== undefined) (next as unknown as Record<string, unknown>)[field] = input[field];
  }
  if (typeof next.title === 'string') next.title = next.title.trim();

  const statusChanges = next.status !== current.status;
  if (statusChanges) checkTransition(role, current.status, next.status, comment);

  // Completing an action means it is all done.
  if (statusChanges && next.status === 'completed' && input.progress === undefined) next.progress = 100;

  const changed = EDITABLE_FIELDS.filter((f) => !sameValue(current[f], next[f]));
  checkFieldsForRole(role, changed, current.status, next.status);

  const edited = changed.find((f) => f !== 'status');
  if (edited && (current.status === 'verified' || current.status === 'cancelled')) {
    throw DomainException.rule(
      'closed-action-is-read-only',
      edited,
      current.status === 'verified'
        ? 'a verified action cannot be edited; reopen it first'
        : 'a cancelled action cannot be edited',
    );
  }
  if (changed.includes('dueDate') && !comment) {
    throw DomainException.rule(
      'due-date-change-needs-reason',
      'comment',
      'changing the due date needs a comment giving the reason',
    );
  }
  if (next.status === 'completed' && changed.includes('progress') && next.progress !== 100) {
    throw DomainException.rule('completed-means-100', 'progress', 'a completed action has progress 100');
  }
  const changes = changed.map((field) => ({ field, from: current[field], to: next[field] }));
  return { next, changes, comment };
}

function checkTransition(role: Role, from: ActionStatus, to: ActionStatus, comment: string | null): void {
  if (!TRANSITIONS[from].includes(to)) {
    const allowed = TRANSITIONS[from];
    throw DomainException.rule(
      'status-transition',
      'status',
      `an action that is ${from} cannot become ${to}` +
        (allowed.length ? `; it can become ${allowed.join(', ')}` : '; it is closed'),
    );
  }
  const overseer = role === 'admin' || role === 'performance_manager';
  if (to === 'verified' && !overseer) {
    throw DomainException.rule(
      'verify-needs-performance-manager',
      'status',
      'only a performance manager for this organisation (or an admin) can verify an action',
    );
  }
  if (from === 'verified' && !overseer) {
    throw DomainException.rule(
      'reopen-verified-needs-performance-manager',
      'status',
      'only a performance manager for this organisation (or an admin) can reopen a verified action',
    );
  }
  if ((from === 'completed' || from === 'verified') && to === 'in_progress' && !comment) {
    throw DomainException.rule(
      'reopen-needs-reason',
      'comment',
      'reopening an action needs a comment giving the reason',
    );
  }
  if (to === 'cancelled' && !comment) {
    throw DomainException.rule(
      'cancel-needs-reason',
      'comment',
      'cancelling an action needs a comment giving the reason',
    );
  }
}

/** Performance managers oversee: they verify, reopen and comment, and change nothing else. */
function checkFieldsForRole(role: Role, changed: EditableField[], from: ActionStatus, to: ActionStatus): void {
  if (role !== 'performance_manager') return;
  const other = changed.find((f) => f !== 'status');
  const reopening = (from === 'completed' || from === 'verified') && to === 'in_progress';
  if (other || (changed.includes('status') && to !== 'verified' && !reopening)) {
    throw DomainException.forbidden('performance managers can verify, reopen or comment on an action, not edit it');
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}
