import { isUUID } from 'class-validator';
import {
  addDays,
  londonDateOf,
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
  NotificationFilter,
  NotificationKind,
  NotificationStatus,
} from '@rt/domain';
import { dateFromForm, FormErrors } from '../admin-form';
import { errorSummary } from '../../error-summary';
import { dateFields, DatePart, datePartsInError } from '../../date-input';
import { readFields } from '../../web-forms';

const FIELDS = ['recipient', 'action', 'kind', 'status', ...dateFields('from'), ...dateFields('to')] as const;
export type NotificationFilterForm = Record<(typeof FIELDS)[number], string>;

export const readNotificationFilter = (query: unknown): NotificationFilterForm => readFields(query, FIELDS);

/** The instant London's day `date` begins (midnight is 23:00 UTC the day before in summer). */
export function londonMidnight(date: string): string {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  const summer = new Date(utcMidnight - 3_600_000);
  return (londonDateOf(summer) === date ? summer : new Date(utcMidnight)).toISOString();
}

export type ParsedFilter = { ok: true; filter: NotificationFilter } | { ok: false; errors: FormErrors };

/**
 * The log's filter form (a GET form). Dates are London days: "from" 3 March and "to" 5 March mean from the start
 * of the 3rd to the end of the 5th. `recipients` are the user ids offered.
 */
export function parseNotificationFilter(form: NotificationFilterForm, recipients: Set<string>): ParsedFilter {
  const errors: FormErrors = {};
  const filter: NotificationFilter = {};
  if (form.recipient) {
    if (recipients.has(form.recipient)) filter.recipientId = form.recipient;
    else errors.recipient = 'Select a recipient from the list';
  }
  const action = form.action.trim();
  if (action) {
    if (isUUID(action, 'all')) filter.actionId = action.toLowerCase();
    else
      errors.action =
        'Enter the action’s id as it appears in its web address, like 0f8fad5b-d9cb-469f-a165-70867728950e';
  }
  if (form.kind) {
    if ((NOTIFICATION_KINDS as readonly string[]).includes(form.kind)) filter.kind = form.kind as NotificationKind;
    else errors.kind = 'Select a kind from the list';
  }
  if (form.status) {
    if ((NOTIFICATION_STATUSES as readonly string[]).includes(form.status))
      filter.status = form.status as NotificationStatus;
    else errors.status = 'Select a status from the list';
  }
  const from = dateFromForm(form, 'from', 'From date', false);
  const to = dateFromForm(form, 'to', 'To date', false);
  if (from.error) errors.from = from.error;
  if (to.error) errors.to = to.error;
  if (from.date && to.date && to.date < from.date) errors.to = 'To date must be the same as or after the from date';
  if (Object.keys(errors).length) return { ok: false, errors };
  if (from.date) filter.from = londonMidnight(from.date);
  if (to.date) filter.to = londonMidnight(addDays(to.date, 1));
  return { ok: true, filter };
}

/** The dates' boxes in error. */
export const notificationFilterDateParts = (form: object, errors: FormErrors) =>
  datePartsInError(form, errors, ['from', 'to']);

export const notificationFilterErrorSummary = (errors: FormErrors, dateParts: Partial<Record<string, DatePart[]>>) =>
  errorSummary(errors, ['recipient', 'action', 'kind', 'status', 'from', 'to'], {
    dates: dateParts,
  });

/** The filter's own query parameters, for the pagination links (only those with a value). */
export function filterParams(form: NotificationFilterForm): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim() || undefined]));
}
