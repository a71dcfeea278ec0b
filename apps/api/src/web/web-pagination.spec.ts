import { CursorPages, numberedPage, pageNumberOf, queryString } from './web-pagination';

describe('web pagination', () => {
  it('builds query strings from the params that have values, repeating arrays', () => {
    expect(queryString({ a: '1', b: ['x', 'y'], c: undefined, d: '' })).toBe('?a=1&b=x&b=y');
    expect(queryString({ c: undefined })).toBe('');
  });

  it('reads the page number, 1 for anything that is not a whole number from 1', () => {
    expect(pageNumberOf({ page: '3' })).toBe(3);
    for (const page of [undefined, '0', '-2', '2.5', 'two', ['2'], '99999999']) expect(pageNumberOf({ page })).toBe(1);
  });

  it('pages rows, numbering first, last and the current page with its neighbours', () => {
    const rows = Array.from({ length: 95 }, (_, i) => i);
    const { rows: shown, page, pages, pagination } = numberedPage(rows, 5, 10, '/dashboard', { sort: 'overdue' });
    expect([shown[0], shown.at(-1), page, pages]).toEqual([40, 49, 5, 10]);
    expect(pagination.previous).toEqual({ href: '/dashboard?sort=overdue&page=4' });
    expect(pagination.next).toEqual({ href: '/dashboard?sort=overdue&page=6' });
    expect(pagination.items.map((i) => ('ellipsis' in i ? '…' : i.current ? `[${i.number}]` : i.number))).toEqual([
      1,
      '…',
      4,
      '[5]',
      6,
      '…',
      10,
    ]);
    // Page 1's link has no page parameter.
    expect(pagination.items[0]).toEqual({ number: 1, href: '/dashboard?sort=overdue', current: false });
  });

  it('shows the last page for a page past the end, and no pagination for one page', () => {
    expect(numberedPage([1, 2, 3], 9, 2, '/x', {})).toMatchObject({ rows: [3], page: 2, pages: 2 });
    const one = numberedPage([1, 2], 1, 10, '/x', {});
    expect(one.pagination).toEqual({ previous: undefined, next: undefined, items: [] });
  });

  it('keeps the trail of cursors so Previous goes back one page, and ignores made-up cursors', () => {
    const second = new CursorPages({ cursor: 'c2', trail: 'c1' });
    expect(second.links('/', { due: 'overdue' }, 'c3')).toEqual({
      previous: { href: '/?due=overdue&cursor=c1' },
      next: { href: '/?due=overdue&cursor=c3&trail=c1.c2' },
    });
    const bad = new CursorPages({ cursor: '<script>', trail: 'a b' });
    expect(bad.cursor).toBeUndefined();
    expect(bad.links('/', {}, null)).toEqual({ previous: undefined, next: undefined });
  });
});
