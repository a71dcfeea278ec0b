import { CreateActionInput } from '@rt/domain';
import { MAX_COMMENT_LENGTH } from '../actions/action-update.form';
import { dateBoxes, parseDateInput } from '../date-input';
import { readFields } from '../web-forms';

export const MAX_TITLE_LENGTH = 300;
export const MAX_DESCRIPTION_LENGTH = MAX_COMMENT_LENGTH;

const FIELDS = ['title', 'description', 'ownerId', 'dueDate-day', 'dueDate-month', 'dueDate-year'] as const;
export type NewActionForm = Record<(typeof FIELDS)[number], string>;
export const NEW_ACTION_FORM_ORDER = ['title', 'description', 'ownerId', 'dueDate'];

export const readNewActionForm = (body: unknown): NewActionForm => readFields(body, FIELDS);

export const emptyNewActionForm = (): NewActionForm => readNewActionForm({});

export type ParsedNewAction = { ok: true; input: CreateActionInput } | { ok: false; errors: Record<string, string> };

/**
 * The "Add an action" form as ActionsService.create's input. `ownerIds` are the people the page offered; an owner
 * may be left for later. Whether the recommendation takes actions at all is the service's to say.
 */
export function parseNewAction(form: NewActionForm, ownerIds: readonly string[]): ParsedNewAction {
  const errors: Record<string, string> = {};
  const title = form.title.trim();
  if (title === '') errors.title = 'Enter a title';
  else if (title.length > MAX_TITLE_LENGTH) errors.title = `Title must be ${MAX_TITLE_LENGTH} characters or fewer`;
  if (form.description.length > MAX_DESCRIPTION_LENGTH) {
    errors.description = `Description must be ${MAX_DESCRIPTION_LENGTH} characters or fewer`;
  }
  if (form.ownerId !== '' && !ownerIds.includes(form.ownerId)) errors.ownerId = 'Select an owner from the list';
  const due = parseDateInput(dateBoxes(form, 'dueDate'), 'Due date');
  if (!due.ok) errors.dueDate = due.message;
  if (!due.ok || Object.keys(errors).length) return { ok: false, errors };
  const description = form.description.trim();
  return {
    ok: true,
    input: {
      title,
      description: description === '' ? null : description,
      ownerId: form.ownerId === '' ? null : form.ownerId,
      dueDate: due.date,
    },
  };
}
