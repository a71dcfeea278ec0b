import { AMBER_WINDOW_DAYS } from '../actions/action';
import { daysBetween, IsoDate } from '../shared/dates';
import { DAY_ZERO, ROLLUP_WINDOW_DAYS, RollupCell, RollupFigures } from './rollup';

export const dayNumber = (date: IsoDate): number => daysBetween(DAY_ZERO, date);

/** Whether a cell's stored figures answer exactly for `today` (no more than the window's days later). */
export function answersFor(cell: Pick<RollupCell, 'asOfDate'>, today: IsoDate): boolean {
  const shift = daysBetween(cell.asOfDate, today);
  return shift >= 0 && shift <= ROLLUP_WINDOW_DAYS;
}

/**
 * Adds cells up into one group's figures for `today`. Counts add; overdue and RAG move on from each cell's
 * as_of_date using its due-date window; the median is taken over the union of the cells' overdue-day histograms,
 * so it is exact however many organisations the group spans (a one-cell group on its own day uses the stored
 * median and parses nothing).
 */
export class FiguresAccumulator {
  private cells = 0;
  private single: RollupCell | null = null;
  private readonly sum = {
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
  };
  /** days overdue → actions, from every cell added (filled lazily when the median must be combined). */
  private hist: number[] | null = null;
  private readonly pending: RollupCell[] = [];

  constructor(private readonly today: IsoDate) {}

  add(cell: RollupCell): void {
    const s = this.sum;
    s.notStarted += cell.notStarted;
    s.inProgress += cell.inProgress;
    s.blocked += cell.blocked;
    s.completed += cell.completed;
    s.verified += cell.verified;
    s.cancelled += cell.cancelled;
    s.redated += cell.redated;
    s.slippageDays += cell.slippageDays;
    s.recNotStarted += cell.recNotStarted;
    s.recInProgress += cell.recInProgress;
    s.recImplemented += cell.recImplemented;
    s.recVerified += cell.recVerified;
    s.recNotAccepted += cell.recNotAccepted;
    const shift = cell.asOfDate === this.today ? 0 : daysBetween(cell.asOfDate, this.today);
    if (shift < 0 || shift > ROLLUP_WINDOW_DAYS) {
      throw new Error(`roll-up cell for ${cell.asOfDate} cannot answer for ${this.today}`);
    }
    if (shift === 0) {
      s.overdue += cell.overdue;
      s.nsipOverdue += cell.nsipOverdue;
      s.amber += cell.amber;
    } else {
      const moved = movedOn(cell, this.today);
      s.overdue += moved.overdue;
      s.nsipOverdue += moved.nsipOverdue;
      s.amber += moved.amber;
    }
    this.cells += 1;
    this.single = this.cells === 1 ? cell : null;
    this.pending.push(cell);
  }

  figures(): RollupFigures {
    const s = this.sum;
    const total = s.notStarted + s.inProgress + s.blocked + s.completed + s.verified;
    const green = s.notStarted + s.inProgress - s.nsipOverdue - s.amber;
    const single = this.single;
    const median =
      single && single.asOfDate === this.today
        ? single.medianDaysOverdue === null
          ? null
          : Number(single.medianDaysOverdue)
        : s.overdue === 0
          ? null
          : medianOfCounts(this.histogram());
    return {
      total,
      completed: s.completed,
      verified: s.verified,
      overdue: s.overdue,
      percentComplete: total === 0 ? 0 : Math.floor(((s.completed + s.verified) * 100) / total),
      byStatus: {
        not_started: s.notStarted,
        in_progress: s.inProgress,
        blocked: s.blocked,
        completed: s.completed,
        verified: s.verified,
        cancelled: s.cancelled,
      },
      byRag: { red: s.blocked + s.nsipOverdue, amber: s.amber, green, complete: s.completed + s.verified },
      percentVerified: total === 0 ? 0 : Math.floor((s.verified * 100) / total),
      medianDaysOverdue: median,
      slippageDays: s.slippageDays,
      redatedCount: s.redated,
      recommendationsByStatus: {
        not_started: s.recNotStarted,
        in_progress: s.recInProgress,
        implemented: s.recImplemented,
        verified: s.recVerified,
        not_accepted: s.recNotAccepted,
      },
    };
  }

  private histogram(): number[] {
    if (this.hist) return this.hist;
    // counts[days overdue] = actions: a dense array, filled straight from the stored JSON text (no parse).
    const counts: number[] = [];
    const today = dayNumber(this.today);
    for (const cell of this.pending) {
      forEachTuple(cell.overdueHist, 2, (t) => {
        const late = today - t[0];
        counts[late] = (counts[late] ?? 0) + t[1];
      });
      if (cell.asOfDate !== this.today) {
        // Actions that fell due between the cell's day and today are overdue now.
        const from = dayNumber(cell.asOfDate);
        forEachTuple(cell.dueWindow, 4, (t) => {
          if (t[0] >= from && t[0] < today) {
            const late = today - t[0];
            counts[late] = (counts[late] ?? 0) + t[1] + t[2];
          }
        });
      }
    }
    this.hist = counts;
    return counts;
  }
}

/** Overdue and RAG counts of one cell moved on from its as_of_date to `today` (within the window). */
export function movedOn(cell: RollupCell, today: IsoDate): { overdue: number; nsipOverdue: number; amber: number } {
  const from = dayNumber(cell.asOfDate);
  const to = dayNumber(today);
  let overdue = cell.overdue;
  let nsipOverdue = cell.nsipOverdue;
  let amber = 0;
  forEachTuple(cell.dueWindow, 4, ([day, nsip, blocked, low]) => {
    if (day >= from && day < to) {
      overdue += nsip + blocked;
      nsipOverdue += nsip;
    } else if (day >= to && day <= to + AMBER_WINDOW_DAYS) {
      amber += low;
    }
  });
  return { overdue, nsipOverdue, amber };
}

/** The median of a histogram (value → count); the mean of the two middle values when the count is even. */
export function medianOf(hist: Map<number, number>): number | null {
  let n = 0;
  for (const count of hist.values()) n += count;
  if (n === 0) return null;
  const values = [...hist.keys()].sort((a, b) => a - b);
  const lower = Math.floor((n - 1) / 2);
  const upper = Math.floor(n / 2);
  let seen = 0;
  let low: number | null = null;
  for (const value of values) {
    seen += hist.get(value)!;
    if (low === null && seen > lower) low = value;
    if (seen > upper) return (low! + value) / 2;
  }
  return low;
}

/** The median of counts indexed by value (holes count as none); as medianOf. */
export function medianOfCounts(counts: number[]): number | null {
  let n = 0;
  for (let v = 0; v < counts.length; v++) n += counts[v] ?? 0;
  if (n === 0) return null;
  const lower = Math.floor((n - 1) / 2);
  const upper = Math.floor(n / 2);
  let seen = 0;
  let low: number | null = null;
  for (let v = 0; v < counts.length; v++) {
    const count = counts[v];
    if (!count) continue;
    seen += count;
    if (low === null && seen > lower) low = v;
    if (seen > upper) return (low! + v) / 2;
  }
  return low;
}

/**
 * Calls `fn` with each tuple of `arity` integers in a stored histogram's JSON text (`[[a, b], [c, d]]`), reading
 * the digits in place: JSON.parse of every histogram was the largest cost of a combining read (measured).
 */
export function forEachTuple(json: string | null, arity: number, fn: (tuple: number[]) => void): void {
  if (!json) return;
  const tuple = new Array<number>(arity).fill(0);
  let filled = 0;
  let value = 0;
  let negative = false;
  let inNumber = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      inNumber = true;
    } else if (c === 45) {
      negative = true;
    } else if (inNumber) {
      tuple[filled++] = negative ? -value : value;
      value = 0;
      negative = false;
      inNumber = false;
      if (filled === arity) {
        fn(tuple);
        filled = 0;
      }
    }
  }
}
