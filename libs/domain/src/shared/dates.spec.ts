import fc from 'fast-check';
import { addDays, daysBetween, isIsoDate, londonDateOf } from './dates';

describe('isIsoDate', () => {
  it.each(['2026-03-02', '2026-02-28', '2028-02-29', '2000-02-29', '2026-12-31', '2026-01-01'])(
    'accepts %s',
    (value) => {
      expect(isIsoDate(value)).toBe(true);
    },
  );

  it.each([
    ['30 February', '2026-02-30'],
    ['29 February in a common year', '2026-02-29'],
    ['29 February in a century year that is not a leap year', '2100-02-29'],
    ['31 April', '2026-04-31'],
    ['month 13', '2026-13-01'],
    ['month 0', '2026-00-10'],
    ['day 0', '2026-01-00'],
    ['day 32', '2026-01-32'],
    ['no zero padding', '2026-3-2'],
    ['a timestamp', '2026-03-02T00:00:00Z'],
    ['surrounding space', ' 2026-03-02'],
    ['a British date', '02/03/2026'],
    ['an empty string', ''],
  ])('rejects %s (%s)', (_, value) => {
    expect(isIsoDate(value)).toBe(false);
  });

  it.each([null, undefined, 20260302, new Date('2026-03-02'), ['2026-03-02']])('rejects the non-string %p', (value) => {
    expect(isIsoDate(value)).toBe(false);
  });
});

describe('londonDateOf', () => {
  it.each([
    // Winter: London is on GMT, so the UTC date is London's.
    ['2026-01-15T23:30:00Z', '2026-01-15'],
    ['2026-03-28T23:30:00Z', '2026-03-28'],
    // BST starts at 01:00 UTC on 29 March 2026: half an hour before, London is still on GMT.
    ['2026-03-29T00:30:00Z', '2026-03-29'],
    ['2026-03-29T23:30:00Z', '2026-03-30'],
    // Summer: London is an hour ahead, so late evening UTC is already tomorrow.
    ['2026-06-30T23:30:00Z', '2026-07-01'],
    ['2026-06-30T22:59:59Z', '2026-06-30'],
    ['2026-12-31T23:59:59Z', '2026-12-31'],
    // BST ends at 01:00 UTC on 25 October 2026.
    ['2026-10-24T23:30:00Z', '2026-10-25'],
    ['2026-10-25T23:30:00Z', '2026-10-25'],
  ])('%s is %s in London', (instant, date) => {
    expect(londonDateOf(new Date(instant))).toBe(date);
  });

  it('always answers a valid ISO date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true }),
        (instant) => {
          const date = londonDateOf(instant);
          expect(isIsoDate(date)).toBe(true);
          // London is never behind UTC and at most a day ahead.
          expect([0, 1]).toContain(daysBetween(instant.toISOString().slice(0, 10), date));
        },
      ),
    );
  });
});

describe('addDays', () => {
  it.each([
    ['2026-03-02', 14, '2026-03-16'],
    ['2026-03-02', 0, '2026-03-02'],
    ['2026-03-02', -1, '2026-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-25', 14, '2027-01-08'],
    ['2027-01-08', -14, '2026-12-25'],
    // Calendar days, unaffected by the clocks going forward or back.
    ['2026-03-28', 1, '2026-03-29'],
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-10-25', 1, '2026-10-26'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2028-01-01', 366, '2029-01-01'],
  ])('%s %d days → %s', (date, days, result) => {
    expect(addDays(date, days)).toBe(result);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-03-02', '2026-03-02', 0],
    ['2026-03-01', '2026-03-02', 1],
    ['2026-03-02', '2026-03-01', -1],
    ['2026-02-01', '2026-03-01', 28],
    ['2028-02-01', '2028-03-01', 29],
    ['2026-03-28', '2026-03-30', 2],
    ['2026-10-24', '2026-10-26', 2],
    ['2026-01-01', '2027-01-01', 365],
  ])('from %s to %s is %d', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it('undoes addDays', () => {
    const dates = fc
      .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(dates, fc.integer({ min: -5000, max: 5000 }), (date, days) => {
        const later = addDays(date, days);
        expect(isIsoDate(later)).toBe(true);
        expect(daysBetween(date, later)).toBe(days);
      }),
    );
  });
});
