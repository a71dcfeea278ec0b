import { DomainException, isIsoDate } from '@rt/domain';

/** A page id from the path: a UUID (lower case), or undefined for anything else (the page answers 404). */
export function uuidOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
    ? value.toLowerCase()
    : undefined;
}

/** One item of the GOV.UK error summary: a link to the field in error, or plain text for the whole form. */
export interface SummaryItem {
  href?: string;
  text: string;
}

export type DatePart = 'day' | 'month' | 'year';
const PARTS: DatePart[] = ['day', 'month', 'year'];

export type ParsedDate = { ok: true; date: string } | { ok: false; message: string; parts: DatePart[] };

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** "3", "03", "mar" or "March" → 3; anything else NaN. */
function monthNumber(value: string): number {
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const name = value.toLowerCase();
  const index = MONTH_NAMES.findIndex((m) => name.length >= 3 && m.startsWith(name));
  return index >= 0 ? index + 1 : NaN;
}

const listed = (parts: string[]) =>
  parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;

/**
 * A GOV.UK date input (day, month, year) as an ISO date, or the message GOV.UK's pattern gives and the parts to
 * highlight. `label` names the date in a sentence, e.g. "Due date".
 */
export function parseDateInput(input: Record<DatePart, string>, label: string): ParsedDate {
  const value = { day: input.day.trim(), month: input.month.trim(), year: input.year.trim() };
  const missing = PARTS.filter((p) => value[p] === '');
  if (missing.length === 3) return { ok: false, message: `Enter the ${label.toLowerCase()}`, parts: PARTS };
  if (missing.length > 0) return { ok: false, message: `${label} must include a ${listed(missing)}`, parts: missing };

  const day = /^\d{1,2}$/.test(value.day) ? Number(value.day) : NaN;
  const month = monthNumber(value.month);
  const wrong = [
    ...(day >= 1 && day <= 31 ? [] : (['day'] as const)),
    ...(month >= 1 && month <= 12 ? [] : (['month'] as const)),
  ];
  if (wrong.length > 0) return { ok: false, message: `${label} must be a real date`, parts: wrong };
  if (!/^\d{4}$/.test(value.year)) return { ok: false, message: 'Year must include 4 numbers', parts: ['year'] };

  const date = `${value.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!isIsoDate(date)) return { ok: false, message: `${label} must be a real date`, parts: PARTS };
  return { ok: true, date };
}

/**
 * The GOV.UK error summary's items, in the order of the form's fields; each links to its field (a date to the first
 * part in error, given in `dateParts`). Errors about no field of the form come last, without a link.
 */
export function errorSummaryOf(
  errors: Record<string, string>,
  order: readonly string[],
  dateParts: Partial<Record<string, DatePart[]>> = {},
): SummaryItem[] {
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  return Object.entries(errors)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([field, text]) => {
      if (!order.includes(field)) return { text };
      const parts = dateParts[field];
      return { href: parts ? `#${field}-${parts[0]}` : `#${field}`, text };
    });
}

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/**
 * A domain service's refusal of a form's change, said on the form: field errors (rules, invalid values) as a 400,
 * a forbidden change as a 403 with the service's reason. Anything else (not found, stale, faults) is not a form
 * error: null.
 */
export function formRefusal(error: unknown): { status: number; errors: Record<string, string> } | null {
  if (!(error instanceof DomainException)) return null;
  if (error.code === 'rule_violated' || error.code === 'invalid' || error.code === 'malformed') {
    const errors: Record<string, string> = {};
    for (const e of error.errors) errors[e.field] ??= sentence(e.message);
    return { status: 400, errors: Object.keys(errors).length ? errors : { form: sentence(error.message) } };
  }
  if (error.code === 'forbidden') return { status: 403, errors: { form: sentence(error.message) } };
  return null;
}
