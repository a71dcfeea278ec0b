import { RollupFigures, RollupItem } from '@rt/domain';

export const SNAPSHOT_NAME_MAX = 200;

/** The "Take a snapshot now" form: a name is needed (it is how the snapshot is found later). */
export function parseSnapshotName(body: unknown): { name: string; error?: string } {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>).name : undefined;
  const name = typeof value === 'string' ? value : '';
  if (name.trim() === '') return { name, error: 'Enter a name for the snapshot' };
  if (name.trim().length > SNAPSHOT_NAME_MAX) {
    return { name, error: `Name must be ${SNAPSHOT_NAME_MAX} characters or fewer` };
  }
  if (name.includes('\u0000')) return { name, error: 'Name must only include letters, numbers and punctuation' };
  return { name: name.trim() };
}

export const COMPARED_MEASURES = ['percentComplete', 'overdue', 'red', 'amber', 'green', 'complete'] as const;
export type ComparedMeasure = (typeof COMPARED_MEASURES)[number];

export interface Change {
  before: number | null;
  after: number | null;
  /** after − before; null when either side has no figures. */
  change: number | null;
  /** The change as shown: "+5", "-3", "0", or "–". */
  changeText: string;
}

export type Comparison = Record<ComparedMeasure, Change>;

function measure(figures: RollupFigures | undefined, m: ComparedMeasure): number | null {
  if (!figures) return null;
  return m === 'percentComplete' || m === 'overdue' ? figures[m] : figures.byRag[m];
}

function compare(before: RollupFigures | undefined, after: RollupFigures | undefined): Comparison {
  const entries = COMPARED_MEASURES.map((m) => {
    const [b, a] = [measure(before, m), measure(after, m)];
    const change = a === null || b === null ? null : a - b;
    return [m, { before: b, after: a, change, changeText: formatChange(change) }] as const;
  });
  return Object.fromEntries(entries) as Comparison;
}

interface Frozen {
  items: RollupItem[];
  portfolio: RollupFigures;
}

/**
 * Two snapshots side by side, organisation by organisation (every organisation in either, by name) and for the
 * whole portfolio: before, after and the change of each measure. Without an earlier snapshot, "before" is empty.
 */
export function compareSnapshots(before: Frozen | null, after: Frozen) {
  const names = new Map<string, string>();
  for (const item of [...(before?.items ?? []), ...after.items]) names.set(item.key, item.name);
  const beforeOf = new Map(before?.items.map((i) => [i.key, i]));
  const afterOf = new Map(after.items.map((i) => [i.key, i]));
  const rows = [...names]
    .sort(([ka, a], [kb, b]) => a.localeCompare(b) || (ka < kb ? -1 : 1))
    .map(([key, name]) => ({ key, name, ...compare(beforeOf.get(key), afterOf.get(key)) }));
  return { rows, totals: compare(before?.portfolio, after.portfolio) };
}

/** A change as the table shows it: "+5", "-3", "0", or "–" when there is nothing to compare. */
export function formatChange(change: number | null): string {
  if (change === null) return '–';
  return change > 0 ? `+${change}` : String(change);
}
