import {
  ACTION_STATUSES,
  ActionState,
  ActionStatus,
  ActionView,
  addDays,
  DomainException,
  FieldError,
  planActionUpdate,
  Role,
  roleHas,
  UpdateActionInput,
} from '@rt/domain';
import { dateBoxes, DatePart, datePartsInError, parseDateInput } from '../date-input';
import { errorSummary } from '../error-summary';

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

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/** A domain refusal, said as GOV.UK error messages against the form's fields. */
export function domainErrorsToForm(errors: FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const e of errors) byField[e.field] ??= sentence(e.message);
  return byField;
}

/** What the form offers this actor for this action, as the domain's update planner answers. */
export interface UpdateChoices {
  /** The status radios: the current status and every status the domain lets this role move it to; none if no move. */
  statuses: ActionStatus[];
  progress: boolean;
  dueDate: boolean;
  evidence: boolean;
  comment: boolean;
  /** When only a comment may be added: why nothing else may change, in the domain's words. */
  reasons: string[];
}

const NO_CHOICES: UpdateChoices = {
  statuses: [],
  progress: false,
  dueDate: false,
  evidence: false,
  comment: false,
  reasons: [],
};

/** Only asked with a comment, so that the rules needing a reason (reopen, cancel, new due date) do not refuse. */
const PROBE_COMMENT = 'A reason';

function stateOf(action: ActionView): ActionState {
  const { title, description, ownerId, dueDate, status, progress, evidence } = action;
  return { title, description, ownerId, dueDate, status, progress, evidence };
}

/**
 * Asks the domain's own update planner what this role may do to this action: each status it might move to, and a
 * made-up change to each field (a field is offered when it may change with the status kept or with a status the
 * radios offer: a senior manager may set progress when reopening a completed action). Whether the value itself is
 * acceptable is still decided when the change is saved.
 */
export function updateChoices(role: Role, action: ActionView): UpdateChoices {
  if (!roleHas(role, 'actions:update')) return NO_CHOICES;
  const state = stateOf(action);
  const refusal = (input: UpdateActionInput): DomainException | null => {
    try {
      planActionUpdate(role, state, { comment: PROBE_COMMENT, ...input });
      return null;
    } catch (error) {
      if (error instanceof DomainException) return error;
      throw error;
    }
  };
  const statusRefusals = new Map(
    ACTION_STATUSES.filter((s) => s !== action.status).map((s) => [s, refusal({ status: s })] as const),
  );
  const moves = [...statusRefusals].filter(([, refused]) => !refused).map(([s]) => s);
  const reachable = [action.status, ...moves];
  const mayChange = (probe: UpdateActionInput) => reachable.some((status) => !refusal({ ...probe, status }));
  const fieldProbes = {
    progress: { progress: action.progress === 50 ? 51 : 50 },
    dueDate: { dueDate: addDays(action.dueDate, 1) },
    evidence: { evidence: `${action.evidence ?? ''} and more` },
  };
  const choices: UpdateChoices = {
    statuses: moves.length ? ACTION_STATUSES.filter((s) => reachable.includes(s)) : [],
    progress: mayChange(fieldProbes.progress),
    dueDate: mayChange(fieldProbes.dueDate),
    evidence: mayChange(fieldProbes.evidence),
    comment: !refusal({}),
    reasons: [],
  };
  if (!choices.statuses.length && !choices.progress && !choices.dueDate && !choices.evidence) {
    // Why it is closed to edits, and (not "X cannot become Y" for each status) why this role cannot move it on.
    const refusals = [refusal(fieldProbes.evidence), ...statusRefusals.values()].filter(
      (r): r is DomainException => !!r && r.rule !== 'status-transition',
    );
    choices.reasons = [...new Set(refusals.map((r) => `${sentence(r.message)}.`))];
  }
  return choices;
}

/** "the status, progress or due date": what the form offers besides the comment. */
function offeredChanges(choices: UpdateChoices): string {
  const names = [
    choices.statuses.length ? 'status' : '',
    choices.progress ? 'progress' : '',
    choices.evidence ? 'evidence' : '',
    choices.dueDate ? 'due date' : '',
  ].filter(Boolean);
  if (!names.length) return '';
  const last = names.pop()!;
  return `the ${names.length ? `${names.join(', ')} or ${last}` : last}`;
}

export type ParsedActionUpdate =
  { ok: true; version: number; input: UpdateActionInput } | { ok: false; errors: Record<string, string> };

/**
 * Checks the form's shape and turns it into the domain's update, holding only what the user changed against the
 * action as it is now. Fields the form did not offer (`choices`) are left as they are, whatever was posted. Whether
 * the change is allowed (transitions, reasons, roles) is the domain's to decide.
 */
export function parseActionUpdate(
  form: ActionUpdateForm,
  current: ActionView,
  choices: UpdateChoices,
): ParsedActionUpdate {
  const errors: Record<string, string> = {};
  const version = /^\d+$/.test(form.version) ? Number(form.version) : NaN;

  const status = choices.statuses.length ? form.status : current.status;
  if (!(ACTION_STATUSES as readonly string[]).includes(status)) errors.status = 'Select a status';
  const progressText = choices.progress ? form.progress.trim() : String(current.progress);
  const progress = /^\d{1,3}$/.test(progressText) ? Number(progressText) : NaN;
  if (!(progress >= 0 && progress <= 100)) errors.progress = 'Enter progress as a whole number from 0 to 100';
  if (form.comment.length > MAX_COMMENT_LENGTH) {
    errors.comment = `Comment must be ${MAX_COMMENT_LENGTH} characters or fewer`;
  }
  const evidenceText = choices.evidence ? form.evidence : (current.evidence ?? '');
  if (evidenceText.length > MAX_EVIDENCE_LENGTH) {
    errors.evidence = `Evidence notes must be ${MAX_EVIDENCE_LENGTH} characters or fewer`;
  }

  // The due date is optional here: boxes left empty keep it.
  const boxes = choices.dueDate ? dateBoxes(form, 'dueDate') : { day: '', month: '', year: '' };
  let dueDate: string | undefined;
  if (boxes.day.trim() || boxes.month.trim() || boxes.year.trim()) {
    const parsed = parseDateInput(boxes, 'New due date');
    if (parsed.ok) dueDate = parsed.date;
    else errors.dueDate = parsed.message;
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  const input: UpdateActionInput = {};
  if (status !== current.status) input.status = status as ActionStatus;
  if (progress !== current.progress) input.progress = progress;
  const evidence = evidenceText.trim() === '' ? null : evidenceText;
  if (evidence !== (current.evidence ?? null)) input.evidence = evidence;
  if (dueDate && dueDate !== current.dueDate) input.dueDate = dueDate;
  if (form.comment.trim()) input.comment = form.comment.trim();
  if (Object.keys(input).length === 0) {
    const changes = offeredChanges(choices);
    return { ok: false, errors: { comment: changes ? `Enter a comment, or change ${changes}` : 'Enter a comment' } };
  }
  return { ok: true, version, input };
}

/** The new due date's boxes in error. */
export const actionUpdateDateParts = (form: ActionUpdateForm, errors: Record<string, string>) =>
  datePartsInError(form, errors, ['dueDate']);

/** The form's errors for the GOV.UK error summary, in the order of its fields (the date: its first box in error). */
export const actionUpdateErrorSummary = (
  errors: Record<string, string>,
  dateParts: Partial<Record<string, DatePart[]>>,
) => errorSummary(errors, ['status', 'progress', 'dueDate', 'comment', 'evidence'], { dates: dateParts });
