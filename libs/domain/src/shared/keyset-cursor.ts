import { DomainException } from './domain.exception';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

type KeyValue = string | number | null;

/** Opaque cursors: the sort key of the last item returned, base64url-encoded. */
export function encodeCursor(key: KeyValue[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Reads a cursor made by encodeCursor, checking it has the shape `kinds` describes
 * ('string' | 'number' | 'string?'), so a tampered cursor is a 4xx and never reaches SQL as garbage.
 */
export function decodeCursor(cursor: string, kinds: ('string' | 'number' | 'string?')[]): KeyValue[] {
  const bad = () => DomainException.invalid('cursor', 'cursor is not one this list gave out');
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(key) || key.length !== kinds.length) throw bad();
  kinds.forEach((kind, i) => {
    const v = key[i];
    const ok =
      kind === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : kind === 'string?'
          ? v === null || (typeof v === 'string' && v.length <= 200)
          : typeof v === 'string' && v.length <= 200;
    if (!ok) throw bad();
  });
  return key as KeyValue[];
}

export function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
}

/** Given rows fetched with LIMIT size+1, trims the extra row and makes the next cursor from the last kept one. */
export function toPage<R, T>(rows: R[], size: number, keyOf: (row: R) => KeyValue[], view: (row: R) => T): Page<T> {
  const more = rows.length > size;
  const kept = more ? rows.slice(0, size) : rows;
  return {
    items: kept.map(view),
    nextCursor: more ? encodeCursor(keyOf(kept[kept.length - 1])) : null,
  };
}
