import { plainToInstance } from 'class-transformer';
import { isUUID, validate, ValidationError } from 'class-validator';
import { describePostgresError } from '@rt/database';
import { Actor, DomainException, OrganisationsService, OrganisationView } from '@rt/domain';
import { dateBoxes, parseDateInput } from '../date-input';
import { PageNotFound } from '../web-errors';
import { SignedInRequest } from '../web-route';
import { allPages } from '../web-forms';

/** Field name → GOV.UK error message. */
export type FormErrors = Record<string, string>;

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

export type DateParse = { date: string | null; error?: string };

/**
 * A form's GOV.UK date input `prefix` to YYYY-MM-DD (see ../date-input). `label` names the field in the message
 * ("Published date"); all boxes empty is null, or an error when `required`.
 */
export function dateFromForm(form: object, prefix: string, label: string, required: boolean): DateParse {
  const boxes = dateBoxes(form, prefix);
  if (!required && !boxes.day.trim() && !boxes.month.trim() && !boxes.year.trim()) return { date: null };
  const parsed = parseDateInput(boxes, label);
  return parsed.ok ? { date: parsed.date } : { date: null, error: parsed.message };
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
