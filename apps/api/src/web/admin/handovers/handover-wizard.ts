import { HANDOVER_KINDS, HandoverInput, HandoverKind } from '@rt/domain';
import { dateFromForm, FormErrors } from '../admin-form';
import { errorSummary } from '../../error-summary';
import { dateFields, DatePart, datePartsInError, dateToFields } from '../../date-input';
import { readFields, values } from '../../web-forms';

/**
 * The hand-over wizard's answers so far, kept in the web session between its pages. `id` names this hand-over
 * attempt: confirming claims it once (see HandoverWizardWebController.confirm), so a second submit of the same
 * confirmation cannot hand over twice.
 */
export interface HandoverWizardState {
  id: string;
  fromOrganisationIds: string[];
  effectiveOn: string;
  kind: HandoverKind;
  dissolvePredecessors: boolean;
  successorIds: string[];
  /** Recommendation id → the successor that takes it over. */
  allocations: Record<string, string>;
}

declare module 'fastify' {
  interface Session {
    handoverWizard?: HandoverWizardState;
  }
}

export type Step<T> = { ok: true; value: T } | { ok: false; errors: FormErrors };

// ---- (a) predecessors, date and kind ----

const START_FIELDS = [...dateFields('effectiveOn'), 'kind', 'dissolvePredecessors'] as const;
export type StartForm = Record<(typeof START_FIELDS)[number], string> & { fromOrganisationIds: string[] };

export const readStartForm = (body: unknown): StartForm => ({
  ...readFields(body, START_FIELDS),
  fromOrganisationIds: values(body, 'fromOrganisationIds'),
});

export function startFormFrom(state: HandoverWizardState | undefined): StartForm {
  if (!state) return { ...readStartForm({}), kind: 'split', dissolvePredecessors: 'yes' };
  return {
    ...(dateToFields('effectiveOn', state.effectiveOn) as Record<`effectiveOn-${'day' | 'month' | 'year'}`, string>),
    kind: state.kind,
    dissolvePredecessors: state.dissolvePredecessors ? 'yes' : 'no',
    fromOrganisationIds: state.fromOrganisationIds,
  };
}

export type StartAnswers = Pick<
  HandoverWizardState,
  'fromOrganisationIds' | 'effectiveOn' | 'kind' | 'dissolvePredecessors'
>;

export function parseStart(form: StartForm, predecessorChoices: Set<string>): Step<StartAnswers> {
  const errors: FormErrors = {};
  const from = [...new Set(form.fromOrganisationIds)];
  if (from.length === 0) errors.fromOrganisationIds = 'Select the organisation or organisations handing over';
  else if (from.some((id) => !predecessorChoices.has(id)))
    errors.fromOrganisationIds = 'Select organisations from the list';
  else if (from.length > 20) errors.fromOrganisationIds = 'Select 20 organisations or fewer';
  const effective = dateFromForm(form, 'effectiveOn', 'Effective date', true);
  if (effective.error) errors.effectiveOn = effective.error;
  if (!(HANDOVER_KINDS as readonly string[]).includes(form.kind)) errors.kind = 'Select the kind of restructuring';
  if (!['yes', 'no'].includes(form.dissolvePredecessors)) {
    errors.dissolvePredecessors = 'Select whether the organisations handing over are dissolved';
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      fromOrganisationIds: from,
      effectiveOn: effective.date!,
      kind: form.kind as HandoverKind,
      dissolvePredecessors: form.dissolvePredecessors === 'yes',
    },
  };
}

/** The effective date's boxes in error. */
export const startDateParts = (form: object, errors: FormErrors) => datePartsInError(form, errors, ['effectiveOn']);

export const startErrorSummary = (errors: FormErrors, dateParts: Partial<Record<string, DatePart[]>>) =>
  errorSummary(errors, ['fromOrganisationIds', 'effectiveOn', 'kind', 'dissolvePredecessors'], {
    dates: dateParts,
  });

// ---- (b) successors ----

export function parseSuccessors(chosen: string[], successorChoices: Set<string>): Step<string[]> {
  const ids = [...new Set(chosen)];
  if (ids.length === 0)
    return { ok: false, errors: { successorIds: 'Select the organisation or organisations taking over' } };
  if (ids.some((id) => !successorChoices.has(id))) {
    return { ok: false, errors: { successorIds: 'Select organisations from the list' } };
  }
  return { ok: true, value: ids };
}

// ---- (c) allocations ----

export const allocationField = (recommendationId: string) => `allocation-${recommendationId}`;

/**
 * One successor for each open recommendation (`open`: id → reference, in page order). Every one needs an answer;
 * the service says so too, but the page can name each missing one against its own radios.
 */
export function parseAllocations(
  body: unknown,
  open: { id: string; reference: string }[],
  successorIds: string[],
): Step<Record<string, string>> {
  const fields = readFields(
    body,
    open.map((r) => allocationField(r.id)),
  );
  const errors: FormErrors = {};
  const allocations: Record<string, string> = {};
  for (const r of open) {
    const to = fields[allocationField(r.id)];
    if (!successorIds.includes(to)) errors[allocationField(r.id)] = `Select who takes over ${r.reference}`;
    else allocations[r.id] = to;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: allocations };
}

/** What the allocation page shows chosen: the answer kept, or the only successor when there is one. */
export function allocationShown(state: HandoverWizardState, recommendationId: string): string {
  const kept = state.allocations[recommendationId];
  if (kept && state.successorIds.includes(kept)) return kept;
  return state.successorIds.length === 1 ? state.successorIds[0] : '';
}

export const allocationErrorSummary = (errors: FormErrors, open: { id: string }[]) =>
  errorSummary(
    errors,
    open.map((r) => allocationField(r.id)),
  );

// ---- (d) the service's input ----

/**
 * The hand-over as the service takes it. With one successor it is also the default, so that it is recorded as the
 * successor even when nothing is open to move.
 */
export function handoverInput(state: HandoverWizardState): HandoverInput {
  return {
    fromOrganisationIds: state.fromOrganisationIds,
    effectiveOn: state.effectiveOn,
    kind: state.kind,
    dissolvePredecessors: state.dissolvePredecessors,
    allocations: Object.entries(state.allocations)
      .filter(([, to]) => state.successorIds.includes(to))
      .map(([recommendationId, toOrganisationId]) => ({ recommendationId, toOrganisationId })),
    defaultToOrganisationId: state.successorIds.length === 1 ? state.successorIds[0] : null,
  };
}

/** The answers to the first page, keeping later answers that still fit them. */
export function withStart(
  state: HandoverWizardState | undefined,
  answers: StartAnswers,
  newId: string,
): HandoverWizardState {
  const samePredecessors =
    !!state &&
    state.fromOrganisationIds.length === answers.fromOrganisationIds.length &&
    state.fromOrganisationIds.every((id) => answers.fromOrganisationIds.includes(id));
  return {
    id: state?.id ?? newId,
    fromOrganisationIds: answers.fromOrganisationIds,
    effectiveOn: answers.effectiveOn,
    kind: answers.kind,
    dissolvePredecessors: answers.dissolvePredecessors,
    successorIds: (state?.successorIds ?? []).filter((id) => !answers.fromOrganisationIds.includes(id)),
    allocations: samePredecessors ? state.allocations : {},
  };
}
