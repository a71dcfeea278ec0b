import { DomainException } from '@rt/domain';

/** A keyset cursor as the domain services issue them (base64url). */
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;

/** `?a=1&b=2&b=3` from the params that have a value ('' when none do). */
export function queryString(params: Record<string, string | string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of ([] as (string | undefined)[]).concat(value)) if (v) search.append(key, v);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** What the GOV.UK pagination component takes: previous and next links (either may be absent). */
export interface PaginationLinks {
  previous?: { href: string };
  next?: { href: string };
}

/**
 * Keyset pagination for a page: the cursor of this page (`cursor`) and of the pages before it (`trail`, dot
 * separated) come from the query, so "Previous" and "Next" are plain links that work without JavaScript.
 * Tampered values are ignored (the first page), never an error.
 */
export class CursorPages {
  readonly cursor: string | undefined;
  private readonly trail: string[];

  constructor(query: { cursor?: unknown; trail?: unknown }) {
    this.cursor = typeof query.cursor === 'string' && CURSOR.test(query.cursor) ? query.cursor : undefined;
    this.trail = (typeof query.trail === 'string' ? query.trail : '')
      .split('.')
      .filter((c) => CURSOR.test(c))
      .slice(-50);
  }

  /**
   * Loads this page, or the first page if the cursor was made up (the domain services say 'malformed').
   */
  async load<T>(read: (cursor: string | undefined) => Promise<T>): Promise<T> {
    try {
      return await read(this.cursor);
    } catch (error) {
      if (this.cursor && error instanceof DomainException && error.code === 'malformed') return read(undefined);
      throw error;
    }
  }

  /** The links for a page at `path` with these other query `params`, given the next page's cursor. */
  links(
    path: string,
    params: Record<string, string | string[] | undefined>,
    nextCursor: string | null | undefined,
  ): PaginationLinks {
    const previousTrail = this.trail.slice(0, -1);
    return {
      previous: this.cursor
        ? {
            href: `${path}${queryString({ ...params, cursor: this.trail.at(-1), trail: previousTrail.join('.') || undefined })}`,
          }
        : undefined,
      next: nextCursor
        ? {
            href: `${path}${queryString({
              ...params,
              cursor: nextCursor,
              trail: this.cursor ? [...this.trail, this.cursor].join('.') : undefined,
            })}`,
          }
        : undefined,
    };
  }
}

/** GOV.UK pagination with page numbers, for a list held whole in memory (e.g. sorted roll-ups). */
export interface NumberedPagination extends PaginationLinks {
  items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[];
}

/** The page number asked for (`?page=`), 1 when absent or not a whole number of at least 1. */
export function pageNumberOf(query: { page?: unknown }): number {
  const page = typeof query.page === 'string' && /^\d{1,6}$/.test(query.page) ? Number(query.page) : 1;
  return Math.max(1, page);
}

/**
 * One page of `rows` (a page past the end shows the last) and the GOV.UK pagination for it: first, last, the
 * current page and its neighbours, with ellipses between.
 */
export function numberedPage<T>(
  rows: T[],
  requested: number,
  size: number,
  path: string,
  params: Record<string, string | string[] | undefined>,
): { rows: T[]; page: number; pages: number; pagination: NumberedPagination } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const page = Math.min(requested, pages);
  const href = (n: number) => `${path}${queryString({ ...params, page: n > 1 ? String(n) : undefined })}`;
  const items: NumberedPagination['items'] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1)
      items.push({ number: n, href: href(n), current: n === page });
    else if (!('ellipsis' in (items.at(-1) ?? {}))) items.push({ ellipsis: true });
  }
  return {
    rows: rows.slice((page - 1) * size, page * size),
    page,
    pages,
    pagination: {
      previous: page > 1 ? { href: href(page - 1) } : undefined,
      next: page < pages ? { href: href(page + 1) } : undefined,
      items: pages > 1 ? items : [],
    },
  };
}
