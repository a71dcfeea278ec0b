import { addDays, IsoDate, mondayOf } from '../shared/dates';
import { WorkingCalendar } from '../reminders/working-calendar';

/** The digest goes at this London time on the first working day of each week (Monday, or later after a bank holiday). */
export const DIGEST_SEND_TIME = '07:00';

/** Actions listed per organisation and section; the rest are counted, with a link to the organisation. */
export const DIGEST_SECTION_LIMIT = 25;

export const DIGEST_STATUSES = ['queued', 'sent', 'failed', 'skipped'] as const;
export type DigestStatus = (typeof DIGEST_STATUSES)[number];

/** The week a digest sent on `date` covers: Monday to Sunday of the week before. */
export function weekCoveredOn(date: IsoDate): { weekStart: IsoDate; weekEnd: IsoDate } {
  const weekStart = addDays(mondayOf(date), -7);
  return { weekStart, weekEnd: addDays(weekStart, 6) };
}

/** The day the digest for the week starting `weekStart` goes: the first working day after that week. */
export function digestDayFor(weekStart: IsoDate, calendar: WorkingCalendar): IsoDate {
  return calendar.nextWorkingDayFrom(addDays(weekStart, 7));
}

/** One action in a digest section. */
export interface DigestAction {
  actionId: string;
  title: string;
  recommendationReference: string;
  dueDate: IsoDate;
  progress: number;
  daysOverdue: number;
  /** Completed and verified: the London date it happened; re-dated: the due date before the week's first move. */
  on: IsoDate | null;
  previousDueDate: IsoDate | null;
}

export interface DigestSection {
  /** Listed (at most DIGEST_SECTION_LIMIT, by due date). */
  actions: DigestAction[];
  /** How many there are in all. */
  total: number;
}

export const DIGEST_SECTIONS = ['newlyOverdue', 'completed', 'verified', 'redated', 'atRisk'] as const;
export type DigestSectionName = (typeof DIGEST_SECTIONS)[number];

export interface DigestOrganisation {
  id: string;
  name: string;
  /** (completed + verified) / actions not cancelled, floored, now; null when it has no actions. */
  percentComplete: number | null;
  /** The same at the end of the week before (the roll-up trend, rollup_daily); null when none was recorded. */
  percentCompleteBefore: number | null;
  overdue: number;
  awaitingVerification: number;
  sections: Record<DigestSectionName, DigestSection>;
}

/** A digest ready to render: one performance manager, their portfolio's week. */
export interface DigestToSend {
  digestId: string;
  recipient: { id: string; name: string; email: string };
  weekStart: IsoDate;
  weekEnd: IsoDate;
  today: IsoDate;
  organisations: DigestOrganisation[];
}

/**
 * The weeks whose scheduled digest is due at this moment and has not run: this week's once its digest day's send
 * time has come, and the week before if the worker missed it (only when the schedule ran before that: a new
 * installation starts with the current week). `lastScheduled` is the latest week a scheduled run completed for.
 */
export function digestWeeksDue(
  today: IsoDate,
  time: string,
  calendar: WorkingCalendar,
  lastScheduled: IsoDate | null,
): IsoDate[] {
  const current = weekCoveredOn(today).weekStart;
  const candidates = lastScheduled ? [addDays(current, -7), current] : [current];
  return candidates.filter((weekStart) => {
    if (lastScheduled && weekStart <= lastScheduled) return false;
    const day = digestDayFor(weekStart, calendar);
    return day < today || (day === today && time >= DIGEST_SEND_TIME);
  });
}
