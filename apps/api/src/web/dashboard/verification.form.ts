import { FieldError, UpdateActionInput } from '@rt/domain';
import { domainErrorsToForm, MAX_COMMENT_LENGTH } from '../actions/action-update.form';
import { errorSummary } from '../error-summary';

/** One "Verify or reopen" form as posted: the button pressed (`decision`), the version read, the comment. */
export interface VerificationForm {
  version: string;
  decision: string;
  comment: string;
}

export function readVerificationForm(body: unknown): VerificationForm {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { version: text(source.version), decision: text(source.decision), comment: text(source.comment) };
}

export type ParsedVerification =
  | { ok: true; decision: 'verify' | 'reopen'; version: number; input: UpdateActionInput }
  | { ok: false; errors: Record<string, string> };

/**
 * The form's shape, as the domain's update: verify is the move to `verified`, reopen the move back to
 * `in_progress`, each with the comment if there is one. Whether the move is allowed, and whether it needs a
 * comment, is the domain's to say. A version that is not a number is passed on as one no action has (NaN), so the
 * domain answers it as a stale edit.
 */
export function parseVerification(form: VerificationForm): ParsedVerification {
  const errors: Record<string, string> = {};
  if (form.decision !== 'verify' && form.decision !== 'reopen') {
    errors.decision = 'Choose whether to verify or reopen the action';
  }
  if (form.comment.length > MAX_COMMENT_LENGTH) {
    errors.comment = `Comment must be ${MAX_COMMENT_LENGTH} characters or fewer`;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const decision = form.decision as 'verify' | 'reopen';
  const input: UpdateActionInput = { status: decision === 'verify' ? 'verified' : 'in_progress' };
  const comment = form.comment.trim();
  if (comment) input.comment = comment;
  return { ok: true, decision, version: /^\d+$/.test(form.version) ? Number(form.version) : NaN, input };
}

/** A domain refusal against this form's fields (the status the domain speaks of is the decision here). */
export function verificationErrors(refusal: { message: string; errors: FieldError[] }): Record<string, string> {
  const errors = refusal.errors.length ? refusal.errors : [{ field: 'decision', message: refusal.message }];
  return domainErrorsToForm(errors.map((e) => ({ ...e, field: e.field === 'comment' ? 'comment' : 'decision' })));
}

/** The error summary for one action's form: its fields are named by the action, as every card has its own. */
export const verificationErrorSummary = (actionId: string, errors: Record<string, string>) =>
  errorSummary(errors, ['decision', 'comment'], { idSuffix: `-${actionId}` });
