import { Measurement } from './load';
import { ScenarioKey } from './scenarios';

export type TargetName = 'baseline' | 'project[info]' | 'project[warn]';

export const SCENARIO_LABELS: Record<ScenarioKey, string> = {
  a: '(a) my overdue',
  b: '(b) one action',
  c: '(c) PATCH',
};

/** Issue 2's targets, on medians: project/baseline. */
export const TARGETS = {
  rpsRatio: { a: 0.7, b: 0.85, c: 0.75 } as Record<ScenarioKey, number>,
  p99Ratio: 1.25,
  cpuRatio: 1.7,
  rssMb: 200,
};

export type Results = Record<ScenarioKey, Record<TargetName, Measurement[]>>;

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function medianOf(runs: Measurement[]): Measurement {
  const m = (f: (r: Measurement) => number) => median(runs.map(f));
  return {
    requests: m((r) => r.requests),
    rps: m((r) => r.rps),
    p50: m((r) => r.p50),
    p99: m((r) => r.p99),
    cpuPerRequest: m((r) => r.cpuPerRequest),
    pgCpuPerRequest: m((r) => r.pgCpuPerRequest),
    non2xx: m((r) => r.non2xx),
    errors: m((r) => r.errors),
    stale: m((r) => r.stale),
    otherCpuShare: m((r) => r.otherCpuShare),
  };
}

const num = (v: number, digits = 0) =>
  v.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const cell = (v: string, width: number) => v.padStart(width);

export const HEADER =
  `  ${'scenario'.padEnd(16)}${'server'.padEnd(15)}${cell('req/s', 8)}${cell('p50 ms', 8)}${cell('p99 ms', 8)}` +
  `${cell('CPU ms/req', 11)}${cell('PG ms/req', 10)}${cell('non-2xx', 8)}${cell('412', 6)}${cell('other CPU', 10)}` +
  `   ratios vs baseline (req/s, p99, CPU/req)`;

export function row(
  scenario: ScenarioKey,
  first: boolean,
  target: TargetName,
  m: Measurement,
  base?: Measurement,
): string {
  const ratios = base
    ? `   ${num(m.rps / base.rps, 2)}  ${num(m.p99 / base.p99, 2)}  ${num(m.cpuPerRequest / base.cpuPerRequest, 2)}`
    : '';
  return (
    `  ${(first ? SCENARIO_LABELS[scenario] : '').padEnd(16)}${target.padEnd(15)}${cell(num(m.rps), 8)}` +
    `${cell(num(m.p50, 1), 8)}${cell(num(m.p99, 1), 8)}${cell(num(m.cpuPerRequest, 3), 11)}` +
    `${cell(num(m.pgCpuPerRequest, 3), 10)}${cell(num(m.non2xx), 8)}${cell(scenario === 'c' ? num(m.stale) : '-', 6)}` +
    `${cell(`${num(m.otherCpuShare * 100)}%`, 10)}${ratios}`
  );
}

export interface Verdict {
  line: string;
  pass: boolean;
}

/** PASS/FAIL of each target for one project configuration, on medians (ratio of the medians). */
export function verdicts(results: Results, project: TargetName, peakRssMb: number): Verdict[] {
  const out: Verdict[] = [];
  const check = (label: string, value: number, limit: number, atLeast: boolean, digits = 2) => {
    const pass = atLeast ? value >= limit : value <= limit;
    out.push({
      line: `  ${pass ? 'PASS' : 'FAIL'}  ${label.padEnd(40)} ${num(value, digits).padStart(7)}  ${atLeast ? '>=' : '<='} ${num(limit, digits)}`,
      pass,
    });
  };
  for (const key of ['a', 'b', 'c'] as ScenarioKey[]) {
    const base = medianOf(results[key].baseline);
    const proj = medianOf(results[key][project]);
    check(`${SCENARIO_LABELS[key]}: req/s ratio`, proj.rps / base.rps, TARGETS.rpsRatio[key], true);
    check(`${SCENARIO_LABELS[key]}: p99 ratio`, proj.p99 / base.p99, TARGETS.p99Ratio, false);
    check(
      `${SCENARIO_LABELS[key]}: CPU per request ratio`,
      proj.cpuPerRequest / base.cpuPerRequest,
      TARGETS.cpuRatio,
      false,
    );
  }
  const rss = peakRssMb;
  out.push({
    line: `  ${rss < TARGETS.rssMb ? 'PASS' : 'FAIL'}  ${'RSS peak (MB)'.padEnd(40)} ${num(rss, 1).padStart(7)}  <  ${TARGETS.rssMb}`,
    pass: rss < TARGETS.rssMb,
  });
  return out;
}
