import { addDays, IsoDate } from '@rt/domain';
import { TrendRange } from './trend-chart';

export const TREND_PERIODS = [
  { value: '4w', text: 'Last 4 weeks', days: 28 },
  { value: '12w', text: 'Last 12 weeks', days: 84 },
  { value: '26w', text: 'Last 26 weeks', days: 182 },
  { value: '52w', text: 'Last 52 weeks', days: 364 },
] as const;
export type TrendPeriod = (typeof TREND_PERIODS)[number]['value'];
/** The period chosen in the chart's GET form (`?period=26w`), the last 12 weeks unless a known one is chosen. */
export function trendPeriod(query: { period?: unknown }, today: IsoDate): TrendRange & { period: TrendPeriod } {
  const chosen = TREND_PERIODS.find((p) => p.value === query.period) ?? TREND_PERIODS.find((p) => p.value === '12w')!;
  return { period: chosen.value, from: addDays(today, -chosen.days), to: today };
}

/** The period select's options, the chosen one selected. */
export function trendPeriodOptions(period: TrendPeriod) {
  return TREND_PERIODS.map((p) => ({ value: p.value, text: p.text, selected: p.value === period }));
}
