import { UpdateActionInput } from '@rt/domain';
import { MAX_COMMENT_LENGTH } from '../actions/action-update.form';
import { readFields } from '../web-forms';

const FIELDS = ['version', 'ownerId', 'comment'] as const;
export type AssignForm = Record<(typeof FIELDS)[number], string>;
export const ASSIGN_FORM_ORDER = ['ownerId', 'comment'];

export const readAssignForm = (body: unknown): AssignForm => readFields(body, FIELDS);

export const assignFormFrom = (action: { version: number; ownerId: string | null }): AssignForm => ({
  version: String(action.version),
  ownerId: action.ownerId ?? '',
  comment: '',
});

export type ParsedAssign =
  | { ok: true; version: number; input: Pick<UpdateActionInput, 'ownerId' | 'comment'> }
  | { ok: false; errors: Record<string, string> };

/** A new owner from those the page offered (`ownerIds`), and an optional comment for the action's history. */
export function parseAssign(
  form: AssignForm,
  current: { ownerId: string | null },
  ownerIds: readonly string[],
): ParsedAssign {
  const errors: Record<string, string> = {};
  if (form.ownerId === '') errors.ownerId = 'Select the new owner';
  else if (!ownerIds.includes(form.ownerId)) errors.ownerId = 'Select an owner from the list';
  else if (form.ownerId === current.ownerId) errors.ownerId = 'Select someone else: this person already owns it';
  if (form.comment.length > MAX_COMMENT_LENGTH) {
    errors.comment = `Comment must be ${MAX_COMMENT_LENGTH} characters or fewer`;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const comment = form.comment.trim();
  return {
    ok: true,
    version: /^\d+$/.test(form.version) ? Number(form.version) : NaN,
    input: { ownerId: form.ownerId, ...(comment ? { comment } : {}) },
  };
}
