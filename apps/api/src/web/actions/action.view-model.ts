import { ActionUpdateView, ActionView, addDays, AMBER_WINDOW_DAYS, OPEN_STATUSES, Rag, Role } from '@rt/domain';
import { DASHBOARD_ROLES } from '../dashboard/dashboard.view-model';
import { formatDate, statusLabel } from '../views';

const RAG_TAGS: Record<Rag, { text: string; classes: string }> = {
  red: { text: 'Red', classes: 'govuk-tag--red' },
  amber: { text: 'Amber', classes: 'govuk-tag--orange' },
  green: { text: 'Green', classes: 'govuk-tag--green' },
  complete: { text: 'Complete', classes: 'govuk-tag--blue' },
};

export function ragTag(rag: Rag | null): { text: string; classes: string } {
  return rag ? RAG_TAGS[rag] : { text: 'Not rated', classes: 'govuk-tag--grey' };
}

/** Where the action page's breadcrumbs start: the dashboard for those who have one, else "Your actions". */
export function breadcrumbHome(role: Role): { text: string; href: string } {
  return DASHBOARD_ROLES.includes(role)
    ? { text: 'Dashboard', href: '/dashboard' }
    : { text: 'Your actions', href: '/' };
}

export type DueGroup = 'overdue' | 'dueSoon' | 'later';

/** Overdue (open, past due), due soon (open, due within the amber window), or the rest. */
export function dueGroupOf(action: ActionView, today: string): DueGroup {
  if (action.overdue) return 'overdue';
  const open = OPEN_STATUSES.includes(action.status);
  return open && action.dueDate <= addDays(today, AMBER_WINDOW_DAYS) ? 'dueSoon' : 'later';
}

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  ownerId: 'Owner',
  dueDate: 'Due date',
  status: 'Status',
  progress: 'Progress',
  evidence: 'Evidence notes',
};

function shown(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (field === 'status') return statusLabel(String(value));
  if (field === 'progress') return `${String(value)}%`;
  if (field === 'dueDate') return formatDate(value);
  // Owners are people: the history says that the owner changed, not their internal id.
  if (field === 'ownerId') return 'a named owner';
  return String(value);
}

const KIND_LABELS: Record<ActionUpdateView['kind'], string> = {
  created: 'Action created',
  updated: 'Progress updated',
  comment: 'Comment added',
  handover: 'Handed over',
};

/** One entry of the MoJ timeline: what changed, from what to what, and the comment. */
export function timelineItem(update: ActionUpdateView) {
  return {
    label: { text: KIND_LABELS[update.kind] },
    byline: { text: update.actor?.name ?? 'System' },
    datetime: { timestamp: update.at, type: 'datetime' },
    changes: update.changes.map((c) => ({
      label: FIELD_LABELS[c.field] ?? c.field,
      text: update.kind === 'created' ? shown(c.field, c.to) : `${shown(c.field, c.from)} to ${shown(c.field, c.to)}`,
    })),
    comment: update.comment,
  };
}
