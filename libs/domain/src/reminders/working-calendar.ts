import Holidays from 'date-holidays';
import { addDays, IsoDate } from '../shared/dates';

/**
 * England and Wales working days: Monday to Friday except bank holidays, from the maintained date-holidays
 * data set (GB, region ENG; Wales shares England's bank holidays).
 */
export class WorkingCalendar {
  private readonly holidays = new Holidays('GB', 'ENG');
  private readonly byYear = new Map<number, Set<IsoDate>>();

  isBankHoliday(date: IsoDate): boolean {
    const year = Number(date.slice(0, 4));
    let dates = this.byYear.get(year);
    if (!dates) {
      dates = new Set(
        this.holidays
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
