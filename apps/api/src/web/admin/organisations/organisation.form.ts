import {
  CreateOrganisationInput,
  ORGANISATION_KINDS,
  ORGANISATION_STATUSES,
  OrganisationKind,
  OrganisationStatus,
  OrganisationView,
  Region,
  REGION_KEYS,
} from '@rt/domain';
import { CreateOrganisationRequest } from '../../../rest/organisations/organisation.dto';
import { checkText, dateFromForm, dtoErrors, FormErrors } from '../admin-form';
import { errorSummary } from '../../error-summary';
import { dateFields, DatePart, datePartsInError, dateToFields } from '../../date-input';
import { readFields, values } from '../../web-forms';

const FIELDS = ['version', 'name', 'kind', 'region', 'status', ...dateFields('dissolvedOn')] as const;
export type OrganisationForm = Record<(typeof FIELDS)[number], string> & { successorIds: string[] };

const ORDER = ['name', 'kind', 'region', 'status', 'dissolvedOn', 'successorIds'];

export function readOrganisationForm(body: unknown): OrganisationForm {
  return { ...readFields(body, FIELDS), successorIds: values(body, 'successorIds') };
}

export function formFromOrganisation(o: OrganisationView): OrganisationForm {
  return {
    version: String(o.version),
    name: o.name,
    kind: o.kind,
    region: o.region,
    status: o.status,
    ...(dateToFields('dissolvedOn', o.dissolvedOn) as Record<`dissolvedOn-${'day' | 'month' | 'year'}`, string>),
    successorIds: o.successorIds,
  };
}

export const emptyOrganisationForm = (): OrganisationForm => ({
  ...readOrganisationForm({}),
  status: 'active',
});

export type ParsedOrganisation =
  { ok: true; input: Required<CreateOrganisationInput> } | { ok: false; errors: FormErrors };

/**
 * The organisation form as the service's input (the whole record: the edit replaces every field, successors
 * included). Whether the dissolution date fits the status is the service's rule; the shape is checked here.
 */
export async function parseOrganisation(form: OrganisationForm, choices: Set<string>): Promise<ParsedOrganisation> {
  const errors: FormErrors = {};
  const name = checkText(errors, 'name', form.name, {
    label: 'Name',
    max: 200,
    empty: 'Enter the organisation’s name',
  });
  if (!(ORGANISATION_KINDS as readonly string[]).includes(form.kind)) errors.kind = 'Select the kind of organisation';
  if (!(REGION_KEYS as string[]).includes(form.region)) errors.region = 'Select a region';
  if (!(ORGANISATION_STATUSES as readonly string[]).includes(form.status)) errors.status = 'Select a status';
  const dissolved = dateFromForm(form, 'dissolvedOn', 'Date dissolved', form.status === 'dissolved');
  if (dissolved.error) errors.dissolvedOn = dissolved.error;
  if (form.successorIds.some((id) => !choices.has(id))) errors.successorIds = 'Select successors from the list';
  if (Object.keys(errors).length) return { ok: false, errors };

  const input = {
    name: name!,
    kind: form.kind as OrganisationKind,
    region: form.region as Region,
    status: form.status as OrganisationStatus,
    dissolvedOn: dissolved.date,
    successorIds: [...new Set(form.successorIds)],
  };
  const shared = await dtoErrors(CreateOrganisationRequest, input, { successorIds: 'Select successors from the list' });
  return Object.keys(shared).length ? { ok: false, errors: shared } : { ok: true, input };
}

/** The dissolution date's boxes in error. */
export const organisationDateParts = (form: object, errors: FormErrors) =>
  datePartsInError(form, errors, ['dissolvedOn']);

export const organisationErrorSummary = (errors: FormErrors, dateParts: Partial<Record<string, DatePart[]>>) =>
  errorSummary(errors, ORDER, { dates: dateParts });
