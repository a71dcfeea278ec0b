import { RollupCell } from './rollup';
import {
  answersFor,
  dayNumber,
  FiguresAccumulator,
  forEachTuple,
  medianOf,
  medianOfCounts,
  movedOn,
} from './rollup-figures';
import { grainFor } from './rollups.service';

const cell = (c: Partial<RollupCell>): RollupCell => ({
  asOfDate: '2026-03-02',
  notStarted: 0,
  inProgress: 0,
  blocked: 0,
  completed: 0,
  verified: 0,
  cancelled: 0,
  redated: 0,
  slippageDays: 0,
  recNotStarted: 0,
  recInProgress: 0,
  recImplemented: 0,
  recVerified: 0,
  recNotAccepted: 0,
  overdue: 0,
  nsipOverdue: 0,
  amber: 0,
  medianDaysOverdue: null,
  overdueHist: null,
  dueWindow: null,
  ...c,
});

describe('roll-up figures', () => {
  it('takes the median of a histogram, averaging the middle two when the count is even', () => {
    expect(medianOf(new Map())).toBeNull();
    expect(medianOf(new Map([[4, 1]]))).toBe(4);
    expect(
      medianOf(
        new Map([
          [10, 1],
          [5, 1],
        ]),
      ),
    ).toBe(7.5);
    expect(
      medianOf(
        new Map([
          [1, 3],
          [100, 1],
        ]),
      ),
    ).toBe(1);
    expect(
      medianOf(
        new Map([
          [1, 2],
          [3, 2],
        ]),
      ),
    ).toBe(2);
  });

  it('combines medians exactly across cells (not a median of medians)', () => {
    const d = (date: string) => dayNumber(date);
    const a = cell({
      notStarted: 3,
      overdue: 3,
      nsipOverdue: 3,
      medianDaysOverdue: 2,
      overdueHist: JSON.stringify([[d('2026-02-28'), 3]]), // 2 days overdue, three actions
    });
    const b = cell({
      notStarted: 2,
      overdue: 2,
      nsipOverdue: 2,
      medianDaysOverdue: 25,
      overdueHist: JSON.stringify([
        [d('2026-01-31'), 1],
        [d('2026-02-10'), 1],
      ]), // 30 and 20 days
    });
    const acc = new FiguresAccumulator('2026-03-02');
    acc.add(a);
    acc.add(b);
    // {2, 2, 2, 20, 30}: the median is 2, where the median of the medians would be 13.5.
    expect(acc.figures()).toMatchObject({ overdue: 5, medianDaysOverdue: 2, total: 5, byRag: { red: 5, green: 0 } });
  });

  it('moves a cell on within its window: new overdue actions, amber over the new fortnight', () => {
    const c = cell({
      notStarted: 4,
      overdue: 1,
      nsipOverdue: 1,
      amber: 1,
      medianDaysOverdue: 3,
      overdueHist: JSON.stringify([[dayNumber('2026-02-27'), 1]]),
      // due 3 March: 1 not started (low progress); due 16 March: 1 low; due 20 March: 1 low
      dueWindow: JSON.stringify([
        [dayNumber('2026-03-03'), 1, 0, 1],
        [dayNumber('2026-03-16'), 1, 0, 1],
        [dayNumber('2026-03-20'), 1, 0, 1],
      ]),
    });
    expect(movedOn(c, '2026-03-06')).toEqual({ overdue: 2, nsipOverdue: 2, amber: 2 });
    const acc = new FiguresAccumulator('2026-03-06');
    acc.add(c);
    // Overdue days on 6 March: 7 (due 27 Feb) and 3 (due 3 March).
    expect(acc.figures()).toMatchObject({ overdue: 2, medianDaysOverdue: 5, byRag: { red: 2, amber: 2, green: 0 } });
    expect(answersFor(c, '2026-03-09')).toBe(true);
    expect(answersFor(c, '2026-03-10')).toBe(false);
    expect(answersFor(c, '2026-03-01')).toBe(false);
  });

  it('leaves cancelled actions out of the total and percentages', () => {
    const acc = new FiguresAccumulator('2026-03-02');
    acc.add(cell({ completed: 1, verified: 1, notStarted: 1, cancelled: 5 }));
    expect(acc.figures()).toMatchObject({ total: 3, percentComplete: 66, percentVerified: 33, byRag: { complete: 2 } });
  });

  it('picks the coarsest grain that carries the grouping and its filters', () => {
    expect(grainFor('organisation', {})).toBe('organisation');
    expect(grainFor('region', { theme: 'risk_of_harm' })).toBe('theme');
    expect(grainFor('organisation', { inspectionId: 'x' })).toBe('inspection');
    expect(grainFor('theme', { inspectionId: 'x' })).toBe('inspection_theme');
    expect(grainFor('inspection', { theme: 'risk_of_harm' })).toBe('inspection_theme');
    expect(grainFor('recommendation', { theme: 'risk_of_harm' })).toBe('recommendation');
    expect(grainFor('portfolio', {})).toBe('organisation');
  });
});

describe('reading stored histograms in place', () => {
  it('reads tuples from jsonb text and compact JSON alike, negative numbers included', () => {
    const seen: number[][] = [];
    forEachTuple('[[9500, 3], [-2, 10]]', 2, (t) => seen.push([...t]));
    forEachTuple('[[1,2,3,4]]', 4, (t) => seen.push([...t]));
    forEachTuple(null, 2, (t) => seen.push([...t]));
    expect(seen).toEqual([
      [9500, 3],
      [-2, 10],
      [1, 2, 3, 4],
    ]);
  });

  it('takes the median of dense counts as medianOf does of a map', () => {
    expect(medianOfCounts([])).toBeNull();
    const counts: number[] = [];
    counts[3] = 2;
    counts[10] = 1;
    counts[40] = 1;
    expect(medianOfCounts(counts)).toBe(
      medianOf(
        new Map([
          [3, 2],
          [10, 1],
          [40, 1],
        ]),
      ),
    );
    expect(medianOfCounts(counts)).toBe(6.5);
  });
});
