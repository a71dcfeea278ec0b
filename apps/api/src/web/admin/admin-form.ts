import { plainToInstance } from 'class-transformer';
import { isUUID, validate, ValidationError } from 'class-validator';
import { describePostgresError } from '@rt/database';
import { Actor, DomainException, isIsoDate, OrganisationsService, OrganisationView } from '@rt/domain';
import { PageNotFound } from '../web-errors';
import { SignedInRequest } from '../web-route';
import { allPages } from '../web-forms';

/** Field name → GOV.UK error message. */
export type FormErrors = Record<string, string>;

export interface ErrorSummaryItem {
  href: string;
  text: string;
}

/** The admin pages are for admins; everyone else is told the page does not exist, as for a record out of scope. */
export function requireAdmin(request: SignedInRequest): Actor {
  if (request.actor.role !== 'admin') throw new PageNotFound();
  return request.actor;
}

/** An id from the path: anything but a uuid is a page that does not exist. */
export function idParam(request: SignedInRequest, name = 'id'): string {
  const value = (request.params as Record<string, string>)[name];
  if (typeof value !== 'string' || !isUUID(value, 'all')) throw new PageNotFound();
  return value.toLowerCase();
}

/** The three boxes of a GOV.UK date input, named `<prefix>-day` etc. */
export const dateFields = (prefix: string) => [`${prefix}-day`, `${prefix}-month`, `${prefix}-year`] as const;

export type DateParse = { date: string | null; error?: string };

/**
 * A GOV.UK date input to YYYY-MM-DD. `label` names the field in the message ("Published date"); all boxes empty is
 * null, or an error when `required`.
 */
export function parseDateInput(form: object, prefix: string, label: string, required: boolean): DateParse {
  const boxes = form as Record<string, unknown>;
  const [day, month, year] = dateFields(prefix).map((f) => (typeof boxes[f] === 'string' ? boxes[f].trim() : ''));
  if (!day && !month && !year) {
    return required ? { date: null, error: `Enter the ${label.toLowerCase()}` } : { date: null };
  }
  if (!day || !month || !year) return { date: null, error: `${label} must include a day, month and year` };
  const candidate = `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year) || !isIsoDate(candidate)) {
    return { date: null, error: `${label} must be a real date` };
  }
  return { date: candidate };
}

/** The date input's boxes pre-filled from YYYY-MM-DD (or empty). */
export function dateToFields(prefix: string, date: string | null | undefined): Record<string, string> {
  const [year, month, day] = date ? date.split('-') : ['', '', ''];
  const [d, m, y] = dateFields(prefix);
  return { [d]: day ? String(Number(day)) : '', [m]: month ? String(Number(month)) : '', [y]: year ?? '' };
}

/**
 * Text of at most `max` characters, trimmed; `empty` is the message when it is required and missing (optional text
 * is null when blank). PostgreSQL text cannot hold NUL.
 */
export function checkText(
  errors: FormErrors,
  field: string,
  value: string,
  rule: { label: string; max: number; empty?: string },
): string | null {
  const text = value.trim();
  if (!text) {
    if (rule.empty) errors[field] = rule.empty;
    return null;
  }
  if (text.length > rule.max) errors[field] = `${rule.label} must be ${rule.max} characters or fewer`;
  else if (text.includes('\u0000')) errors[field] = `${rule.label} must not contain the NUL character`;
  return text;
}

/** The error summary's links, in the order of the form (`order`), each to its field (dates: the day box). */
export function errorSummary(
  errors: FormErrors,
  order: readonly string[],
  dates: readonly string[] = [],
): ErrorSummaryItem[] {
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  return Object.entries(errors)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([field, text]) => ({ href: dates.includes(field) ? `#${field}-day` : `#${field}`, text }));
}

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/**
 * A refusal the user can act on, as field errors: the domain's own (invalid, rule, malformed) or a constraint the
 * database names (a duplicate email). `fieldOf` maps the domain's field names to the form's; `fallback` takes
 * refusals without a field. Anything else (a bug, the database down) is not a form error: null, so it is rethrown.
 */
export function refusalErrors(
  error: unknown,
  fallback: string,
  fieldOf: (field: string) => string = (f) => f,
): FormErrors | null {
  if (error instanceof DomainException && ['invalid', 'rule_violated', 'malformed', 'conflict'].includes(error.code)) {
    const errors: FormErrors = {};
    for (const e of error.errors) errors[fieldOf(e.field)] ??= sentence(e.message);
    if (Object.keys(errors).length === 0) errors[fallback] = sentence(error.message);
    return errors;
  }
  const pg = describePostgresError(error);
  if (pg && pg.status !== 400) return { [pg.field ? fieldOf(pg.field) : fallback]: pg.detail.replace(/\.$/, '') };
  return null;
}

/**
 * Checks input against the JSON API's request class, so a page never accepts what the API refuses. The page's own
 * checks come first with their own words; this catches what they leave to the shared rules (an email's or a
 * link's format), in the words given in `messages` for each field.
 */
export async function dtoErrors(
  dto: new () => object,
  input: object,
  messages: Record<string, string>,
): Promise<FormErrors> {
  const found = await validate(plainToInstance(dto, input), { whitelist: true, forbidUnknownValues: true });
  const errors: FormErrors = {};
  const walk = (list: ValidationError[]) => {
    for (const e of list) {
      if (e.constraints) errors[e.property] ??= messages[e.property] ?? `Check ${e.property}`;
      if (e.children?.length) walk(e.children);
    }
  };
  walk(found);
  return errors;
}

const ALL_LIMIT = 200;

/** Every organisation the admin may pick from, by name (forms' selects and checkboxes). */
export async function allOrganisations(service: OrganisationsService, actor: Actor): Promise<OrganisationView[]> {
  return allPages((cursor) => service.list(actor, {}, { limit: ALL_LIMIT, cursor }));
}

/** Organisations that own recommendations (not inspectorates or oversight bodies). */
export const ownsRecommendations = (o: OrganisationView) => o.kind !== 'inspectorate' && o.kind !== 'oversight';

/** For lists of organisations shown by name. */
export const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** Names of the given organisations by id, read one by one (a page's successors, a hand-over's organisations). */
export async function organisationNames(
  service: OrganisationsService,
  actor: Actor,
  ids: Iterable<string>,
): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => service.get(actor, id).catch(() => null)));
  return new Map(found.filter((o): o is OrganisationView => o !== null).map((o) => [o.id, o.name]));
}
