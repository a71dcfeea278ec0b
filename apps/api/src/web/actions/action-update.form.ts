import { ACTION_STATUSES, ActionStatus, ActionView, FieldError, isIsoDate, UpdateActionInput } from '@rt/domain';

/** The "Update progress" form as posted (every value a string; absent fields are undefined). */
export interface ActionUpdateForm {
  version: string;
  status: string;
  progress: string;
  comment: string;
  evidence: string;
  'dueDate-day': string;
  'dueDate-month': string;
  'dueDate-year': string;
}

export interface ErrorSummaryItem {
  href: string;
  text: string;
}

const FIELDS: (keyof ActionUpdateForm)[] = [
  'version',
  'status',
  'progress',
  'comment',
  'evidence',
  'dueDate-day',
  'dueDate-month',
  'dueDate-year',
];

export const MAX_COMMENT_LENGTH = 5000;
export const MAX_EVIDENCE_LENGTH = 10000;

export function readActionUpdateForm(body: unknown): ActionUpdateForm {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const form = {} as ActionUpdateForm;
  for (const field of FIELDS) {
    const value = source[field];
    form[field] = typeof value === 'string' ? value : '';
  }
  return form;
}

/** The form pre-filled from the action, as the page first shows it. */
export function formFromAction(action: ActionView): ActionUpdateForm {
  return {
    version: String(action.version),
    status: action.status,
    progress: String(action.progress),
    comment: '',
    evidence: action.evidence ?? '',
    'dueDate-day': '',
    'dueDate-month': '',
    'dueDate-year': '',
  };
}

/** Where a field's error links to in the error summary (the first input of a date). */
export function hrefFor(field: string): string {
  return field === 'dueDate' ? '#dueDate-day' : `#${field}`;
}

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/** A domain refusal, said as GOV.UK error messages against the form's fields. */
export function domainErrorsToForm(errors: FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const e of errors) byField[e.field] ??= sentence(e.message);
  return byField;
}

export type ParsedActionUpdate =
  { ok: true; version: number; input: UpdateActionInput } | { ok: false; errors: Record<string, string> };

/**
 * Checks the form's shape and turns it into the domain's update, holding only what the user changed against the
 * action as it is now. Whether the change is allowed (transitions, reasons, roles) is the domain's to decide.
 */
export function parseActionUpdate(form: ActionUpdateForm, current: ActionView): ParsedActionUpdate {
  const errors: Record<string, string> = {};
  const version = /^\d+$/.test(form.version) ? Number(form.version) : NaN;

  if (!(ACTION_STATUSES as readonly string[]).includes(form.status)) errors.status = 'Select a status';
  const progressText = form.progress.trim();
  const progress = /^\d{1,3}$/.test(progressText) ? Number(progressText) : NaN;
  if (!(progress >= 0 && progress <= 100)) errors.progress = 'Enter progress as a whole number from 0 to 100';
  if (form.comment.length > MAX_COMMENT_LENGTH) {
    errors.comment = `Comment must be ${MAX_COMMENT_LENGTH} characters or fewer`;
  }
  if (form.evidence.length > MAX_EVIDENCE_LENGTH) {
    errors.evidence = `Evidence notes must be ${MAX_EVIDENCE_LENGTH} characters or fewer`;
  }

  const [day, month, year] = [form['dueDate-day'], form['dueDate-month'], form['dueDate-year']].map((s) => s.trim());
  let dueDate: string | undefined;
  if (day || month || year) {
    const candidate = `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    if (!day || !month || !year) errors.dueDate = 'New due date must include a day, month and year';
    else if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year) || !isIsoDate(candidate)) {
      errors.dueDate = 'New due date must be a real date';
    } else dueDate = candidate;
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  const input: UpdateActionInput = {};
  if (form.status !== current.status) input.status = form.status as ActionStatus;
  if (progress !== current.progress) input.progress = progress;
  const evidence = form.evidence.trim() === '' ? null : form.evidence;
  if (evidence !== (current.evidence ?? null)) input.evidence = evidence;
  if (dueDate && dueDate !== current.dueDate) input.dueDate = dueDate;
  if (form.comment.trim()) input.comment = form.comment.trim();
  if (Object.keys(input).length === 0) {
    return { ok: false, errors: { comment: 'Enter a comment, or change the status, progress, evidence or due date' } };
  }
  return { ok: true, version, input };
}

export function errorSummary(errors: Record<string, string>): ErrorSummaryItem[] {
  const order = ['status', 'progress', 'dueDate', 'comment', 'evidence'];
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  return Object.entries(errors)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([field, text]) => ({ href: hrefFor(field), text }));
}
