import { isIsoDate } from './dates';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

const text = (v: unknown) => typeof v === 'string' && v.length <= 200 && !v.includes('\u0000');

/** What each part of a key may hold; uuid, date and timestamp are checked as PostgreSQL would cast them. */
const KEY_KINDS = {
  string: text,
  'string?': (v: unknown) => v === null || text(v),
  // Numeric keys are integer columns (ordinals).
  number: (v: unknown) => Number.isInteger(v) && Math.abs(v as number) < 2 ** 31,
  uuid: (v: unknown) => typeof v === 'string' && UUID.test(v),
  date: (v: unknown) => isIsoDate(v),
  timestamp: (v: unknown) =>
    typeof v === 'string' && TIMESTAMP.test(v) && isIsoDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v)),
} satisfies Record<string, (v: unknown) => boolean>;
export type CursorKeyKind = keyof typeof KEY_KINDS;

/**
 * Reads a cursor made by encodeCursor, checking it has the shape `kinds` describes, so a tampered cursor is a
 * 4xx naming `cursor` and never reaches SQL as garbage (a bad uuid or date would otherwise fail the cast there).
 */
export function decodeCursor(cursor: string, kinds: CursorKeyKind[]): KeyValue[] {
  const bad = () => DomainException.malformed('cursor', 'cursor is not one this list gave out');
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(key) || key.length !== kinds.length) throw bad();
  kinds.forEach((kind, i) => {
    if (!KEY_KINDS[kind](key[i])) throw bad();
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
