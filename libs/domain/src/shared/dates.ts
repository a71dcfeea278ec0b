/** Calendar dates are `YYYY-MM-DD` strings throughout; the working calendar is England's. */
export type IsoDate = string;

export const TIME_ZONE = 'Europe/London';

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The time of day in London at the given instant, HH:MM. */
export function londonTimeOf(instant: Date): string {
  return londonTime.format(instant);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

let cached = { from: 0, to: -1, date: '' };

/** The calendar date in London at the given instant. */
export function londonDateOf(instant: Date): IsoDate {
  const t = instant.getTime();
  if (t >= cached.from && t < cached.to) return cached.date;
  // Intl formatting is slow for a per-request call, and the date changes only at midnight (and London's
  // midnight is always on a whole quarter hour of UTC): remember the answer for the rest of this quarter hour.
  const date = londonDate.format(instant);
  const from = t - (t % 900_000);
  cached = { from, to: from + 900_000, date };
  return date;
}

/** True for a real calendar date written `YYYY-MM-DD` (so 2026-02-30 is false). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the week holding `date`. */
export function mondayOf(date: IsoDate): IsoDate {
  return addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
