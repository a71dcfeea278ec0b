import { isIsoDate } from '@rt/domain';

/*
 * The GOV.UK date input (three boxes: day, month, year), one reading of it for every form of the service: the same
 * messages and the same parts highlighted wherever a date is asked for.
 */

export type DatePart = 'day' | 'month' | 'year';
/** The boxes of a date input, in order. */
export const DATE_PARTS: readonly DatePart[] = ['day', 'month', 'year'];

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
  const missing = DATE_PARTS.filter((p) => value[p] === '');
  if (missing.length === 3) return { ok: false, message: `Enter the ${label.toLowerCase()}`, parts: [...DATE_PARTS] };
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
  if (!isIsoDate(date)) return { ok: false, message: `${label} must be a real date`, parts: [...DATE_PARTS] };
  return { ok: true, date };
}

/** The three boxes of a date input named `<prefix>-day`, `<prefix>-month`, `<prefix>-year`. */
export const dateFields = (prefix: string) => [`${prefix}-day`, `${prefix}-month`, `${prefix}-year`] as const;

/** A posted form's boxes of the date input `prefix` (a box not posted, or not text, is empty). */
export function dateBoxes(form: object, prefix: string): Record<DatePart, string> {
  const boxes = form as Record<string, unknown>;
  const [day, month, year] = dateFields(prefix).map((f) => (typeof boxes[f] === 'string' ? boxes[f] : ''));
  return { day, month, year };
}

/** The date input's boxes pre-filled from YYYY-MM-DD (or empty). */
export function dateToFields(prefix: string, date: string | null | undefined): Record<string, string> {
  const [year, month, day] = date ? date.split('-') : ['', '', ''];
  const [d, m, y] = dateFields(prefix);
  return { [d]: day ? String(Number(day)) : '', [m]: month ? String(Number(month)) : '', [y]: year ?? '' };
}

/**
 * The boxes in error of each date input (`fields`) that has an error, for the error summary's link and the boxes'
 * red borders: those the date's reading names, or all three when the boxes read as a date and the error is another
 * rule's (a date dissolved before the organisation existed).
 */
export function datePartsInError(
  form: object,
  errors: Record<string, string>,
  fields: readonly string[],
): Partial<Record<string, DatePart[]>> {
  return Object.fromEntries(
    fields
      .filter((field) => errors[field])
      .map((field) => {
        const parsed = parseDateInput(dateBoxes(form, field), field);
        return [field, parsed.ok ? [...DATE_PARTS] : parsed.parts];
      }),
  );
}
