import { DatePart } from './date-input';

/** One item of the GOV.UK error summary: a link to the field in error, or plain text for the whole form. */
export interface ErrorSummaryItem {
  href?: string;
  text: string;
}

export interface SummaryLinks {
  /** The form's date inputs, each with its parts in error: the link goes to the first of them (or the day box). */
  dates?: Partial<Record<string, readonly DatePart[]>>;
  /** Appended to every field's id, for a form repeated on one page (e.g. `-<action id>`). */
  idSuffix?: string;
}

/**
 * The GOV.UK error summary of a form's errors (field → message), in the order of the form's fields (`order`), each
 * linking to its field. An error about no field of the form comes last, as text: there is nothing to link to.
 */
export function errorSummary(
  errors: Record<string, string>,
  order: readonly string[],
  { dates = {}, idSuffix = '' }: SummaryLinks = {},
): ErrorSummaryItem[] {
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  return Object.entries(errors)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([field, text]) => {
      if (!order.includes(field)) return { text };
      const parts = dates[field];
      return { href: `#${field}${parts ? `-${parts[0] ?? 'day'}` : ''}${idSuffix}`, text };
    });
}
