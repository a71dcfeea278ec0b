import { triggersFor } from './reminder-run.service';
import { ReminderSettings } from './reminder-settings';
import { WorkingCalendar } from './working-calendar';

const DEFAULTS: ReminderSettings = {
  offsetsDays: [14, 3],
  overdueRepeatDays: 7,
  escalationAfterDays: 14,
  escalationRepeatDays: 14,
  sendTime: '07:00',
};

/** The reminders a single run would send for an action due on `dueDate`. */
function remindersFor(dueDate: string, windowStart: string, runDate: string, settings = DEFAULTS) {
  return triggersFor(settings, windowStart, runDate, '2025-01-01')
    .filter((t) => t.dueDate === dueDate)
    .map((t) => `${t.reason}-${t.occurrence}`)
    .sort();
}

describe('which due dates a run reminds about', () => {
  // Tuesday 3 March 2026: the window is just that day.
  const day = (dueDate: string) => remindersFor(dueDate, '2026-03-02', '2026-03-03');

  it.each([
    ['2026-03-17', ['before-14']],
    ['2026-03-06', ['before-3']],
    ['2026-03-03', ['due-0']],
    ['2026-02-24', ['overdue-1']],
    ['2026-02-17', ['escalation-0', 'overdue-2']],
    ['2026-02-03', ['escalation-1', 'overdue-4']],
    ['2026-03-16', []],
    ['2026-03-04', []],
    ['2026-02-23', []],
    ['2026-02-25', []],
  ])('an action due %s gets %j', (dueDate, expected) => {
    expect(day(dueDate)).toEqual(expected);
  });

  it("covers the weekend on Monday: Saturday's and Sunday's reminders go with Monday's", () => {
    // Monday 9 March 2026; the previous working day is Friday 6 March.
    expect(remindersFor('2026-03-21', '2026-03-06', '2026-03-09')).toEqual(['before-14']); // fell on Saturday
    expect(remindersFor('2026-03-11', '2026-03-06', '2026-03-09')).toEqual(['before-3']); // fell on Sunday
    expect(remindersFor('2026-03-08', '2026-03-06', '2026-03-09')).toEqual(['due-0']); // due on Sunday
  });

  it('reminds once about a due date reached twice in one window (short repeats over a long weekend)', () => {
    const daily = { ...DEFAULTS, overdueRepeatDays: 1 };
    // Easter 2026: Thursday 2 April to Tuesday 7 April; an action due 1 April is overdue every day of it.
    expect(remindersFor('2026-04-01', '2026-04-02', '2026-04-07', daily)).toEqual(['overdue-6']);
  });

  it("follows an organisation's own offsets", () => {
    const weekBefore = { ...DEFAULTS, offsetsDays: [7] };
    expect(remindersFor('2026-03-10', '2026-03-02', '2026-03-03', weekBefore)).toEqual(['before-7']);
    expect(remindersFor('2026-03-17', '2026-03-02', '2026-03-03', weekBefore)).toEqual([]);
  });

  it('reaches back no further than the earliest open due date', () => {
    const triggers = triggersFor(DEFAULTS, '2026-03-02', '2026-03-03', '2026-02-01');
    expect(triggers.every((t) => t.dueDate >= '2026-02-01' || t.reason === 'before')).toBe(true);
  });
});

describe('the working calendar', () => {
  const calendar = new WorkingCalendar();

  it.each([
    ['2026-04-03', false, 'Good Friday'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2026-12-28', false, 'Boxing Day (substitute)'],
    ['2026-03-07', false, 'a Saturday'],
    ['2026-03-08', false, 'a Sunday'],
    ['2026-03-09', true, 'a Monday'],
    ['2026-04-07', true, 'the Tuesday after Easter'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it('finds the previous working day across weekends and bank holidays', () => {
    expect(calendar.previousWorkingDay('2026-04-07')).toBe('2026-04-02');
    expect(calendar.previousWorkingDay('2026-03-09')).toBe('2026-03-06');
    expect(calendar.nextWorkingDayFrom('2026-04-03')).toBe('2026-04-07');
  });
});
