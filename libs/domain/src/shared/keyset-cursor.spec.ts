import fc from 'fast-check';
import { DomainException } from './domain.exception';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, MAX_PAGE_SIZE, pageSize, toPage } from './keyset-cursor';

function refusal(fn: () => unknown): DomainException {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainException) return error;
    throw error;
  }
  throw new Error('expected the cursor to be refused');
}

const ID = '3f0c7d2e-8a6b-4c1d-9e2f-0a1b2c3d4e5f';

describe('cursors', () => {
  it('read back the key they were made from', () => {
    const cursor = encodeCursor(['2026-03-02', ID]);
    expect(decodeCursor(cursor, ['date', 'uuid'])).toEqual(['2026-03-02', ID]);
  });

  it('are opaque and safe in a URL', () => {
    const cursor = encodeCursor(['Kent Probation Trust / "quoted" + more', 3]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(cursor)).toBe(cursor);
  });

  it('round-trip any key of the declared kinds', () => {
    const text = fc.string({ maxLength: 200 }).filter((s) => !s.includes('\u0000'));
    fc.assert(
      fc.property(
        text,
        fc.oneof(fc.constant(null), text),
        fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }),
        fc.uuid(),
        (s, maybe, n, id) => {
          const key = [s, maybe, n, id];
          expect(decodeCursor(encodeCursor(key), ['string', 'string?', 'number', 'uuid'])).toEqual(key);
        },
      ),
    );
  });

  it('accept null where a key may be missing', () => {
    expect(decodeCursor(encodeCursor([null, ID]), ['string?', 'uuid'])).toEqual([null, ID]);
  });

  it('accept the timestamps the history list gives out', () => {
    const key = ['2026-03-02T09:15:00.123456Z', ID];
    expect(decodeCursor(encodeCursor(key), ['timestamp', 'uuid'])).toEqual(key);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['garbage characters', '!!!***'],
    ['empty', ''],
    ['a JSON object instead of a list', Buffer.from('{"a":1}').toString('base64url')],
    ['too few values', encodeCursor(['2026-03-02'])],
    ['too many values', encodeCursor(['2026-03-02', ID, 'extra'])],
    ['a number where a date belongs', encodeCursor([20260302, ID])],
    ['null where a value is required', encodeCursor([null, ID])],
    ['an impossible date', encodeCursor(['2026-02-30', ID])],
    ['a timestamp where a date belongs', encodeCursor(['2026-03-02T00:00:00Z', ID])],
    ['a malformed uuid', encodeCursor(['2026-03-02', 'not-a-uuid'])],
    ['a uuid with SQL after it', encodeCursor(['2026-03-02', `${ID}' OR 1=1 --`])],
    ['a nested list', Buffer.from(JSON.stringify([['2026-03-02'], ID])).toString('base64url')],
  ])('refuse one that is %s, naming the cursor', (_, cursor) => {
    const error = refusal(() => decodeCursor(cursor, ['date', 'uuid']));
    expect(error.code).toBe('malformed');
    expect(error.errors).toEqual([{ field: 'cursor', message: 'cursor is not one this list gave out' }]);
  });

  it.each([
    ['an over-long string', ['x'.repeat(201)], ['string']],
    ['a NUL character, which PostgreSQL text cannot hold', ['a\u0000b'], ['string']],
    ['a string where a number belongs', ['12'], ['number']],
    ['a fraction where an ordinal belongs', [1.5], ['number']],
    ['a number beyond an integer column', [2 ** 31], ['number']],
    ['a timestamp without its zone', ['2026-03-02T09:15:00'], ['timestamp']],
    ['a timestamp on an impossible day', ['2026-02-30T09:15:00Z'], ['timestamp']],
    ['a timestamp at an impossible hour', ['2026-03-02T25:15:00Z'], ['timestamp']],
  ] as const)('refuse one holding %s', (_, key, kinds) => {
    expect(refusal(() => decodeCursor(encodeCursor([...key]), [...kinds])).code).toBe('malformed');
  });
});

describe('pageSize', () => {
  it.each([
    [undefined, DEFAULT_PAGE_SIZE],
    [1, 1],
    [50, 50],
    [200, 200],
    [201, MAX_PAGE_SIZE],
    [10_000, MAX_PAGE_SIZE],
    [0, 1],
    [-5, 1],
  ])('limit %p gives pages of %d', (limit, size) => {
    expect(pageSize(limit)).toBe(size);
  });

  it('defaults to 50 and never exceeds 200', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(50);
    expect(MAX_PAGE_SIZE).toBe(200);
  });
});

describe('toPage', () => {
  const rows = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ due: `2026-03-${String(i + 1).padStart(2, '0')}`, id: `a${i}` }));
  const keyOf = (r: { due: string; id: string }) => [r.due, r.id];
  const view = (r: { due: string; id: string }) => r.id;

  it('trims the extra row and points the cursor at the last row kept', () => {
    const page = toPage(rows(4), 3, keyOf, view);
    expect(page.items).toEqual(['a0', 'a1', 'a2']);
    expect(decodeCursor(page.nextCursor!, ['string', 'string'])).toEqual(['2026-03-03', 'a2']);
  });

  it('has no next cursor on the last page', () => {
    expect(toPage(rows(3), 3, keyOf, view)).toEqual({ items: ['a0', 'a1', 'a2'], nextCursor: null });
    expect(toPage(rows(0), 3, keyOf, view)).toEqual({ items: [], nextCursor: null });
  });
});
