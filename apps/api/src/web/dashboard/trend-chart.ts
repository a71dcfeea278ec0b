import { addDays, daysBetween, IsoDate } from '@rt/domain';
import { formatDate } from '../views';

/** What the trend chart shows of one day. */
export interface TrendPoint {
  date: IsoDate;
  percentComplete: number;
  overdue: number;
}

export interface TrendRange {
  from: IsoDate;
  to: IsoDate;
}

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 300;
const MARGIN = { top: 16, right: 56, bottom: 40, left: 56 };
/** Beyond this many points the markers would touch; the lines alone (solid and dashed) tell the series apart. */
export const MAX_MARKERS = 31;
const X_TICK_STEPS = [1, 2, 7, 14, 28, 56, 91, 182, 364];
const MAX_X_TICKS = 7;
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface Tick {
  /** Position along the axis (x for dates, y for values). */
  at: number;
  label: string;
}

export interface Marker {
  x: number;
  y: number;
}

export interface TrendChart {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  dateTicks: Tick[];
  percentTicks: Tick[];
  overdueTicks: Tick[];
  /** SVG path data; '' when there are no points. */
  percentPath: string;
  overduePath: string;
  percentMarkers: Marker[];
  overdueMarkers: Marker[];
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The overdue axis: whole numbers, a 1, 2 or 5 step (times a power of ten), at most five steps to the top. */
export function overdueScale(max: number): { top: number; step: number } {
  if (max <= 4) return { top: 4, step: 1 };
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  return { top: Math.ceil(max / step) * step, step };
}

/** Date ticks from the first day at a regular step (a day, two, a week, a fortnight, four weeks…), at most seven. */
export function dateTicks(range: TrendRange): IsoDate[] {
  const span = daysBetween(range.from, range.to);
  const step = X_TICK_STEPS.find((s) => Math.floor(span / s) + 1 <= MAX_X_TICKS) ?? X_TICK_STEPS.at(-1)!;
  const ticks: IsoDate[] = [];
  for (let d = 0; d <= span; d += step) ticks.push(addDays(range.from, d));
  return ticks;
}

/** "2 Mar", with the year on the first label and wherever the year changes: "28 Dec 2026", "4 Jan 2027". */
export function dateTickLabels(dates: IsoDate[]): string[] {
  return dates.map((date, i) => {
    const [year, month, day] = date.split('-');
    const label = `${Number(day)} ${SHORT_MONTHS[Number(month) - 1]}`;
    return i === 0 || dates[i - 1].slice(0, 4) !== year ? `${label} ${year}` : label;
  });
}

/**
 * The chart's geometry: percent complete against a 0–100% scale on the left, overdue against its own scale on the
 * right, both over the whole requested range (so days without figures show as a gap at the ends).
 */
export function trendChart(points: TrendPoint[], range: TrendRange): TrendChart {
  const plot = {
    left: MARGIN.left,
    right: CHART_WIDTH - MARGIN.right,
    top: MARGIN.top,
    bottom: CHART_HEIGHT - MARGIN.bottom,
  };
  const span = daysBetween(range.from, range.to);
  const x = (date: IsoDate) =>
    round(
      span === 0
        ? (plot.left + plot.right) / 2
        : plot.left + (daysBetween(range.from, date) / span) * (plot.right - plot.left),
    );
  const height = plot.bottom - plot.top;
  const yPercent = (p: number) => round(plot.bottom - (p / 100) * height);
  const { top, step } = overdueScale(Math.max(0, ...points.map((p) => p.overdue)));
  const yOverdue = (n: number) => round(plot.bottom - (n / top) * height);

  const sorted = [...points].sort((a, b) => (a.date < b.date ? -1 : 1));
  const percent = sorted.map((p) => ({ x: x(p.date), y: yPercent(p.percentComplete) }));
  const overdue = sorted.map((p) => ({ x: x(p.date), y: yOverdue(p.overdue) }));
  const path = (ms: Marker[]) => ms.map((m, i) => `${i === 0 ? 'M' : 'L'}${m.x} ${m.y}`).join(' ');
  const markers = sorted.length <= MAX_MARKERS;

  const dates = dateTicks(range);
  const labels = dateTickLabels(dates);
  const overdueTicks: Tick[] = [];
  for (let n = 0; n <= top; n += step) overdueTicks.push({ at: yOverdue(n), label: String(n) });

  return {
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    plot,
    dateTicks: dates.map((d, i) => ({ at: x(d), label: labels[i] })),
    percentTicks: [0, 25, 50, 75, 100].map((p) => ({ at: yPercent(p), label: `${p}%` })),
    overdueTicks,
    percentPath: path(percent),
    overduePath: path(overdue),
    percentMarkers: markers ? percent : [],
    overdueMarkers: markers ? overdue : [],
  };
}

/**
 * The chart in words, for its text alternative: "Percent complete rose from 20% on 1 March 2026 to 45% on 24 May
 * 2026; overdue fell from 12 to 3."
 */
export function describeTrend(points: TrendPoint[]): string {
  if (points.length === 0) return 'No figures were recorded in this period.';
  const sorted = [...points].sort((a, b) => (a.date < b.date ? -1 : 1));
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (sorted.length === 1) {
    return `On ${formatDate(first.date)}, ${first.percentComplete}% complete and ${first.overdue} overdue.`;
  }
  const [from, to] = [formatDate(first.date), formatDate(last.date)];
  const percent =
    first.percentComplete === last.percentComplete
      ? `stayed at ${first.percentComplete}% from ${from} to ${to}`
      : `${last.percentComplete > first.percentComplete ? 'rose' : 'fell'} from ${first.percentComplete}% on ${from} to ${last.percentComplete}% on ${to}`;
  const overdue =
    first.overdue === last.overdue
      ? `stayed at ${first.overdue}`
      : `${last.overdue > first.overdue ? 'rose' : 'fell'} from ${first.overdue} to ${last.overdue}`;
  return `Percent complete ${percent}; overdue ${overdue}.`;
}

/** Everything the trend partial renders: the chart, its text alternative, and the same figures for the table. */
export function trendView(points: TrendPoint[], range: TrendRange) {
  return {
    chart: trendChart(points, range),
    description: describeTrend(points),
    points: [...points].sort((a, b) => (a.date < b.date ? -1 : 1)),
    range,
  };
}
