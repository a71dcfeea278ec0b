import { RollupItem, Role } from '@rt/domain';
import { PageNotFound } from '../web-errors';

/** Who sees the dashboard: those who report on a portfolio. Anyone else gets the 404 a page outside scope gets. */
export const DASHBOARD_ROLES: readonly Role[] = ['admin', 'performance_manager'];

export const DASHBOARD_SORTS = [
  'name',
  'percentComplete',
  'overdue',
  'red',
  'amber',
  'green',
  'complete',
  'slippageDays',
  'awaitingVerification',
] as const;
export type DashboardSort = (typeof DASHBOARD_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** The column headings, in table order. */
export const DASHBOARD_COLUMNS: { sort: DashboardSort; text: string; numeric: boolean }[] = [
  { sort: 'name', text: 'Organisation', numeric: false },
  { sort: 'percentComplete', text: 'Complete', numeric: true },
  { sort: 'overdue', text: 'Overdue', numeric: true },
  { sort: 'red', text: 'Red', numeric: true },
  { sort: 'amber', text: 'Amber', numeric: true },
  { sort: 'green', text: 'Green', numeric: true },
  { sort: 'complete', text: 'Done', numeric: true },
  { sort: 'slippageDays', text: 'Slippage (days)', numeric: true },
  { sort: 'awaitingVerification', text: 'Awaiting verification', numeric: true },
];

/** The value a row sorts by; "awaiting verification" is the roll-up's `completed` (completed, not yet verified). */
function sortValue(item: RollupItem, sort: DashboardSort): string | number {
  switch (sort) {
    case 'name':
      return item.name;
    case 'red':
    case 'amber':
    case 'green':
    case 'complete':
      return item.byRag[sort];
    case 'awaitingVerification':
      return item.completed;
    default:
      return item[sort];
  }
}

/** Sorts the portfolio's rows by one column, ties by name then key, so the order is stable. */
export function sortPortfolio(items: RollupItem[], sort: DashboardSort, order: SortOrder): RollupItem[] {
  const sign = order === 'desc' ? -1 : 1;
  const byName = (a: RollupItem, b: RollupItem) => a.name.localeCompare(b.name) || (a.key < b.key ? -1 : 1);
  return [...items].sort((a, b) => {
    const x = sortValue(a, sort);
    const y = sortValue(b, sort);
    const compared = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
    return compared !== 0 ? sign * compared : byName(a, b);
  });
}

export function parseSort(query: { sort?: unknown; order?: unknown }): { sort: DashboardSort; order: SortOrder } {
  const sort = (DASHBOARD_SORTS as readonly unknown[]).includes(query.sort) ? (query.sort as DashboardSort) : 'name';
  const order: SortOrder = query.order === 'desc' ? 'desc' : 'asc';
  return { sort, order };
}

/** Each heading's link (the other order when it is the sorted column) and its aria-sort. */
export function sortHeadings(sort: DashboardSort, order: SortOrder) {
  return DASHBOARD_COLUMNS.map((column) => {
    const sorted = column.sort === sort;
    const nextOrder: SortOrder = sorted ? (order === 'asc' ? 'desc' : 'asc') : column.numeric ? 'desc' : 'asc';
    return {
      ...column,
      href: `/dashboard?sort=${column.sort}&order=${nextOrder}`,
      ariaSort: sorted ? (order === 'asc' ? 'ascending' : 'descending') : 'none',
    };
  });
}

/** The dashboard's pages are for those who report on a portfolio; anyone else gets the 404 page. */
export function requireDashboardRole(actor: { role: Role }): void {
  if (!DASHBOARD_ROLES.includes(actor.role)) throw new PageNotFound();
}
