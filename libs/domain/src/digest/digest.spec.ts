import { WorkingCalendar } from '../reminders/working-calendar';
import { mondayOf } from '../shared/dates';
import { digestDayFor, digestWeeksDue, weekCoveredOn } from './digest';

describe('the weekly digest calendar', () => {
  const calendar = new WorkingCalendar();

  it('covers Monday to Sunday of the week before the one it is sent in', () => {
    expect(mondayOf('2026-03-09')).toBe('2026-03-09');
    expect(mondayOf('2026-03-15')).toBe('2026-03-09');
    expect(weekCoveredOn('2026-03-09')).toEqual({ weekStart: '2026-03-02', weekEnd: '2026-03-08' });
    expect(weekCoveredOn('2026-03-12')).toEqual({ weekStart: '2026-03-02', weekEnd: '2026-03-08' });
  });

  it('goes on the Monday after the week, or the next working day after a bank holiday', () => {
    expect(digestDayFor('2026-03-02', calendar)).toBe('2026-03-09');
    expect(digestDayFor('2026-03-30', calendar)).toBe('2026-04-07'); // Easter Monday 6 April 2026
    expect(digestDayFor('2026-12-21', calendar)).toBe('2026-12-29'); // Monday 28 December 2026 is a bank holiday
  });

  it('is due from 07:00 London on its day, once', () => {
    expect(digestWeeksDue('2026-03-09', '06:45', calendar, '2026-02-23')).toEqual([]);
    expect(digestWeeksDue('2026-03-09', '07:00', calendar, '2026-02-23')).toEqual(['2026-03-02']);
    expect(digestWeeksDue('2026-03-09', '07:15', calendar, '2026-03-02')).toEqual([]);
    expect(digestWeeksDue('2026-03-14', '12:00', calendar, '2026-03-02')).toEqual([]);
  });

  it('waits for Tuesday after a bank-holiday Monday', () => {
    expect(digestWeeksDue('2026-04-06', '07:00', calendar, '2026-03-23')).toEqual([]);
    expect(digestWeeksDue('2026-04-07', '07:00', calendar, '2026-03-23')).toEqual(['2026-03-30']);
  });

  it('catches up a run the worker missed: later in the week, or the week before as well', () => {
    expect(digestWeeksDue('2026-03-11', '10:00', calendar, '2026-02-23')).toEqual(['2026-03-02']);
    expect(digestWeeksDue('2026-03-17', '09:00', calendar, '2026-02-23')).toEqual(['2026-03-02', '2026-03-09']);
    expect(digestWeeksDue('2026-03-23', '07:00', calendar, '2026-02-02')).toEqual(['2026-03-09', '2026-03-16']);
  });

  it('starts with the current week on a new installation', () => {
    expect(digestWeeksDue('2026-03-11', '10:00', calendar, null)).toEqual(['2026-03-02']);
  });
});
