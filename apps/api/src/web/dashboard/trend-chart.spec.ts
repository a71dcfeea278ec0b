import {
  CHART_HEIGHT,
  CHART_WIDTH,
  dateTickLabels,
  dateTicks,
  describeTrend,
  MAX_MARKERS,
  overdueScale,
  trendChart,
  TrendPoint,
} from './trend-chart';
import { trendPeriod, trendPeriodOptions } from './trend-period';

const point = (date: string, percentComplete: number, overdue: number): TrendPoint => ({
  date,
  percentComplete,
  overdue,
});

describe('the trend chart’s geometry', () => {
  const range = { from: '2026-03-01', to: '2026-03-29' };
  const chart = trendChart([point('2026-03-29', 50, 3), point('2026-03-01', 0, 12)], range);
  const { left, right, top, bottom } = chart.plot;

  it('places the range across the plot and percent from 0 at the bottom to 100% at the top', () => {
    expect(chart).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(left).toBeLessThan(right);
    expect(top).toBeLessThan(bottom);
    // Sorted by date: 1 March at the left edge, 29 March at the right.
    expect(chart.percentPath).toBe(`M${left} ${bottom} L${right} ${(top + bottom) / 2}`);
    expect(chart.percentTicks.map((t) => t.label)).toEqual(['0%', '25%', '50%', '75%', '100%']);
    expect(chart.percentTicks[0].at).toBe(bottom);
    expect(chart.percentTicks[4].at).toBe(top);
  });

  it('scales overdue against its own axis, rounded up to a whole step', () => {
    // 12 overdue → steps of 5 up to 15.
    expect(chart.overdueTicks.map((t) => t.label)).toEqual(['0', '5', '10', '15']);
    const y12 = bottom - (12 / 15) * (bottom - top);
    const y3 = bottom - (3 / 15) * (bottom - top);
    expect(chart.overduePath).toBe(`M${left} ${Math.round(y12 * 10) / 10} L${right} ${Math.round(y3 * 10) / 10}`);
  });

  it('marks each point while there are few, and draws lines alone beyond that', () => {
    expect(chart.percentMarkers).toEqual([
      { x: left, y: bottom },
      { x: right, y: (top + bottom) / 2 },
    ]);
    expect(chart.overdueMarkers).toHaveLength(2);
    const days = Array.from({ length: MAX_MARKERS + 1 }, (_, i) =>
      point(`2026-01-${String(i + 1).padStart(2, '0')}`, i, i),
    );
    const busy = trendChart(days, { from: '2026-01-01', to: '2026-02-01' });
    expect(busy.percentMarkers).toEqual([]);
    expect(busy.percentPath.split('L')).toHaveLength(MAX_MARKERS + 1);
  });

  it('draws nothing but the axes without points, and centres a one-day range', () => {
    const empty = trendChart([], range);
    expect(empty.percentPath).toBe('');
    expect(empty.overduePath).toBe('');
    expect(empty.overdueTicks.map((t) => t.label)).toEqual(['0', '1', '2', '3', '4']);
    const oneDay = trendChart([point('2026-03-01', 10, 1)], { from: '2026-03-01', to: '2026-03-01' });
    expect(oneDay.percentMarkers[0].x).toBe((left + right) / 2);
  });

  it.each([
    [0, 4, 1],
    [4, 4, 1],
    [5, 5, 1],
    [7, 8, 2],
    [12, 15, 5],
    [100, 100, 20],
    [101, 150, 50],
    [2345, 2500, 500],
  ])('an overdue maximum of %i gives an axis to %i in steps of %i', (max, top, step) => {
    expect(overdueScale(max)).toEqual({ top, step });
  });

  it('puts at most seven date ticks at a regular step from the first day', () => {
    expect(dateTicks({ from: '2026-03-01', to: '2026-03-04' })).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
    ]);
    // 12 weeks: every fortnight.
    const twelveWeeks = dateTicks({ from: '2025-12-08', to: '2026-03-02' });
    expect(twelveWeeks).toEqual([
      '2025-12-08',
      '2025-12-22',
      '2026-01-05',
      '2026-01-19',
      '2026-02-02',
      '2026-02-16',
      '2026-03-02',
    ]);
    expect(dateTicks({ from: '2025-03-03', to: '2026-03-02' }).length).toBeLessThanOrEqual(7);
    expect(dateTicks({ from: '2026-03-02', to: '2026-03-02' })).toEqual(['2026-03-02']);
  });

  it('labels dates briefly, with the year first and where it changes', () => {
    expect(dateTickLabels(['2025-12-08', '2025-12-22', '2026-01-05', '2026-01-19'])).toEqual([
      '8 Dec 2025',
      '22 Dec',
      '5 Jan 2026',
      '19 Jan',
    ]);
  });
});

describe('the trend in words', () => {
  it('says how percent complete and overdue moved from the first day to the last', () => {
    expect(describeTrend([point('2026-05-24', 45, 3), point('2026-03-01', 20, 12), point('2026-04-01', 30, 20)])).toBe(
      'Percent complete rose from 20% on 1 March 2026 to 45% on 24 May 2026; overdue fell from 12 to 3.',
    );
    expect(describeTrend([point('2026-03-01', 50, 2), point('2026-03-02', 40, 4)])).toBe(
      'Percent complete fell from 50% on 1 March 2026 to 40% on 2 March 2026; overdue rose from 2 to 4.',
    );
    expect(describeTrend([point('2026-03-01', 50, 2), point('2026-03-02', 50, 2)])).toBe(
      'Percent complete stayed at 50% from 1 March 2026 to 2 March 2026; overdue stayed at 2.',
    );
  });

  it('says what one day shows, and when nothing was recorded', () => {
    expect(describeTrend([point('2026-03-01', 20, 1)])).toBe('On 1 March 2026, 20% complete and 1 overdue.');
    expect(describeTrend([])).toBe('No figures were recorded in this period.');
  });
});

describe('the trend period', () => {
  it('defaults to the last 12 weeks up to today, and takes a known choice', () => {
    expect(trendPeriod({}, '2026-03-02')).toEqual({ period: '12w', from: '2025-12-08', to: '2026-03-02' });
    expect(trendPeriod({ period: '4w' }, '2026-03-02')).toEqual({ period: '4w', from: '2026-02-02', to: '2026-03-02' });
    expect(trendPeriod({ period: ['4w', '52w'] }, '2026-03-02').period).toBe('12w');
    expect(trendPeriod({ period: 'forever' }, '2026-03-02').period).toBe('12w');
  });

  it('offers every period with the chosen one selected', () => {
    const options = trendPeriodOptions('26w');
    expect(options.map((o) => o.value)).toEqual(['4w', '12w', '26w', '52w']);
    expect(options.filter((o) => o.selected).map((o) => o.text)).toEqual(['Last 26 weeks']);
  });
});
