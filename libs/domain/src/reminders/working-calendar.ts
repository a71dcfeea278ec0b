import type Holidays from 'date-holidays';
import { addDays, IsoDate } from '../shared/dates';

/**
 * England and Wales working days: Monday to Friday except bank holidays, from the maintained date-holidays
 * data set (GB, region ENG; Wales shares England's bank holidays).
 */
export class WorkingCalendar {
  private holidays: Holidays | undefined;
  private readonly byYear = new Map<number, Set<IsoDate>>();

  /**
   * Loaded on first use: the holiday rules and their astronomy library are a hundred modules that only the
   * worker's reminder runs (and the API's run endpoint) need, kept out of every API process's memory.
   */
  private rules(): Holidays {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Rules = require('date-holidays') as typeof import('date-holidays').default;
    return (this.holidays ??= new Rules('GB', 'ENG'));
  }

  isBankHoliday(date: IsoDate): boolean {
    const year = Number(date.slice(0, 4));
    let dates = this.byYear.get(year);
    if (!dates) {
      dates = new Set(
        this.rules()
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      this.byYear.set(year, dates);
    }
    return dates.has(date);
  }

  isWorkingDay(date: IsoDate): boolean {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !this.isBankHoliday(date);
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: IsoDate): IsoDate {
    let d = addDays(date, -1);
    while (!this.isWorkingDay(d)) d = addDays(d, -1);
    return d;
  }

  /** The first working day on or after `date`. */
  nextWorkingDayFrom(date: IsoDate): IsoDate {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }
}
