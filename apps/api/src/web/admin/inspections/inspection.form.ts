import { CreateFindingInput, CreateInspectionInput, FINDING_KINDS, FindingKind, InspectionView } from '@rt/domain';
import { CreateFindingRequest, CreateInspectionRequest } from '../../../rest/inspections/inspection.dto';
import { checkText, dateFromForm, dtoErrors, FormErrors } from '../admin-form';
import { errorSummary } from '../../error-summary';
import { dateFields, DatePart, datePartsInError, dateToFields } from '../../date-input';
import { readFields } from '../../web-forms';

const FIELDS = [
  'version',
  'organisationId',
  'inspectorateId',
  'title',
  'programme',
  ...dateFields('publishedOn'),
  'publishedOnApproximate',
  'reportUrl',
] as const;
export type InspectionForm = Record<(typeof FIELDS)[number], string>;

const ORDER = [
  'organisationId',
  'inspectorateId',
  'title',
  'programme',
  'publishedOn',
  'publishedOnApproximate',
  'reportUrl',
];

export const readInspectionForm = (body: unknown): InspectionForm => readFields(body, FIELDS);

export const emptyInspectionForm = (): InspectionForm => readInspectionForm({});

export function formFromInspection(i: InspectionView): InspectionForm {
  return {
    version: String(i.version),
    organisationId: i.organisationId,
    inspectorateId: i.inspectorateId,
    title: i.title,
    programme: i.programme ?? '',
    ...(dateToFields('publishedOn', i.publishedOn) as Record<`publishedOn-${'day' | 'month' | 'year'}`, string>),
    publishedOnApproximate: i.publishedOnApproximate ? 'yes' : '',
    reportUrl: i.reportUrl ?? '',
  };
}

export type Parsed<T> = { ok: true; input: T } | { ok: false; errors: FormErrors };

/**
 * The inspection form as the service's whole record. `organisations` and `inspectorates` are the ids offered;
 * whether an organisation may be inspected, or changed once there are recommendations, is the service's to say.
 */
export async function parseInspection(
  form: InspectionForm,
  organisations: Set<string>,
  inspectorates: Set<string>,
): Promise<Parsed<Required<CreateInspectionInput>>> {
  const errors: FormErrors = {};
  if (!organisations.has(form.organisationId)) errors.organisationId = 'Select the inspected organisation';
  if (!inspectorates.has(form.inspectorateId)) errors.inspectorateId = 'Select the inspectorate';
  const title = checkText(errors, 'title', form.title, { label: 'Title', max: 300, empty: 'Enter the report’s title' });
  const programme = checkText(errors, 'programme', form.programme, { label: 'Programme', max: 200 });
  const published = dateFromForm(form, 'publishedOn', 'Published date', true);
  if (published.error) errors.publishedOn = published.error;
  if (!['', 'yes'].includes(form.publishedOnApproximate)) {
    errors.publishedOnApproximate = 'Choose whether the date is approximate';
  }
  const reportUrl = form.reportUrl.trim() || null;
  if (Object.keys(errors).length) return { ok: false, errors };

  const input = {
    organisationId: form.organisationId,
    inspectorateId: form.inspectorateId,
    title: title!,
    programme,
    publishedOn: published.date!,
    publishedOnApproximate: form.publishedOnApproximate === 'yes',
    reportUrl,
  };
  const shared = await dtoErrors(CreateInspectionRequest, input, {
    reportUrl: 'Enter the report link as a full web address starting with https:// or http://',
  });
  return Object.keys(shared).length ? { ok: false, errors: shared } : { ok: true, input };
}

/** The published date's boxes in error. */
export const inspectionDateParts = (form: object, errors: FormErrors) =>
  datePartsInError(form, errors, ['publishedOn']);

export const inspectionErrorSummary = (errors: FormErrors, dateParts: Partial<Record<string, DatePart[]>>) =>
  errorSummary(errors, ORDER, { dates: dateParts });

const FINDING_FIELDS = ['kind', 'text'] as const;
export type FindingForm = Record<(typeof FINDING_FIELDS)[number], string>;
export const readFindingForm = (body: unknown): FindingForm => readFields(body, FINDING_FIELDS);

/** A strength or concern the report names. */
export async function parseFinding(form: FindingForm): Promise<Parsed<CreateFindingInput>> {
  const errors: FormErrors = {};
  if (!(FINDING_KINDS as readonly string[]).includes(form.kind)) errors.kind = 'Select strength or concern';
  const text = checkText(errors, 'text', form.text, {
    label: 'Finding',
    max: 5000,
    empty: 'Enter what the report says',
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  const input = { kind: form.kind as FindingKind, text: text! };
  const shared = await dtoErrors(CreateFindingRequest, input, {});
  return Object.keys(shared).length ? { ok: false, errors: shared } : { ok: true, input };
}

export const findingErrorSummary = (errors: FormErrors) => errorSummary(errors, ['kind', 'text']);
