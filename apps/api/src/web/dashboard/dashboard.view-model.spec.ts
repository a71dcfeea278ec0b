import { RollupItem } from '@rt/domain';
import { PageNotFound } from '../web-errors';
import { parseSort, requireDashboardRole, sortHeadings, sortPortfolio } from './dashboard.view-model';

const item = (key: string, name: string, overdue: number, red: number, completed: number) =>
  ({ key, name, overdue, completed, byRag: { red, amber: 0, green: 0, complete: 0 } }) as unknown as RollupItem;

describe('the portfolio table', () => {
  const items = [item('b', 'Beta', 1, 3, 0), item('a', 'Alpha', 1, 2, 4), item('c', 'Gamma', 5, 0, 1)];
  const names = (rows: RollupItem[]) => rows.map((r) => r.name);

  it('sorts by a figure, ties by name, either way round', () => {
    expect(names(sortPortfolio(items, 'overdue', 'desc'))).toEqual(['Gamma', 'Alpha', 'Beta']);
    expect(names(sortPortfolio(items, 'overdue', 'asc'))).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(names(sortPortfolio(items, 'red', 'desc'))).toEqual(['Beta', 'Alpha', 'Gamma']);
    expect(names(sortPortfolio(items, 'awaitingVerification', 'desc'))).toEqual(['Alpha', 'Gamma', 'Beta']);
    expect(names(sortPortfolio(items, 'name', 'desc'))).toEqual(['Gamma', 'Beta', 'Alpha']);
  });

  it('reads the sort from the query, falling back to the name in ascending order', () => {
    expect(parseSort({ sort: 'overdue', order: 'desc' })).toEqual({ sort: 'overdue', order: 'desc' });
    expect(parseSort({ sort: 'constructor', order: 'sideways' })).toEqual({ sort: 'name', order: 'asc' });
    expect(parseSort({ sort: ['overdue'] })).toEqual({ sort: 'name', order: 'asc' });
  });

  it('links the sorted heading to the other order, and others to their natural one', () => {
    const headings = sortHeadings('overdue', 'desc');
    expect(headings.find((h) => h.sort === 'overdue')).toMatchObject({
      href: '/dashboard?sort=overdue&order=asc',
      ariaSort: 'descending',
    });
    expect(headings.find((h) => h.sort === 'red')).toMatchObject({
      href: '/dashboard?sort=red&order=desc',
      ariaSort: 'none',
    });
    expect(headings.find((h) => h.sort === 'name')).toMatchObject({ href: '/dashboard?sort=name&order=asc' });
  });
});

describe('who may open the dashboard', () => {
  it.each(['admin', 'performance_manager'] as const)('lets %s in', (role) => {
    expect(() => requireDashboardRole({ role })).not.toThrow();
  });

  it.each(['senior_manager', 'viewer'] as const)('answers %s with the 404 page', (role) => {
    expect(() => requireDashboardRole({ role })).toThrow(PageNotFound);
  });
});
