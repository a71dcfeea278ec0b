import { RollupFigures, RollupItem } from '@rt/domain';
import { compareSnapshots, formatChange, parseSnapshotName } from './snapshots.view-model';

const figures = (
  percentComplete: number,
  overdue: number,
  red: number,
  amber: number,
  green: number,
  complete: number,
) => ({ percentComplete, overdue, byRag: { red, amber, green, complete } }) as RollupFigures;
const item = (key: string, name: string, f: RollupFigures) => ({ key, name, ...f }) as RollupItem;

describe('two snapshots compared', () => {
  const before = {
    items: [item('b', 'Beta', figures(0, 2, 2, 0, 1, 0)), item('a', 'Alpha', figures(40, 1, 2, 1, 0, 2))],
    portfolio: figures(25, 3, 4, 1, 1, 2),
  };
  const after = {
    items: [item('a', 'Alpha', figures(60, 0, 1, 1, 0, 3)), item('c', 'Gamma', figures(10, 4, 4, 0, 0, 0))],
    portfolio: figures(33, 4, 5, 1, 0, 3),
  };

  it('gives before, after and change of each measure for every organisation in either, by name', () => {
    const { rows, totals } = compareSnapshots(before, after);
    expect(rows.map((r) => r.name)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(rows[0].percentComplete).toEqual({ before: 40, after: 60, change: 20, changeText: '+20' });
    expect(rows[0].overdue).toEqual({ before: 1, after: 0, change: -1, changeText: '-1' });
    expect(rows[0].amber).toEqual({ before: 1, after: 1, change: 0, changeText: '0' });
    expect(rows[0].complete).toEqual({ before: 2, after: 3, change: 1, changeText: '+1' });
    // Gone from the later one, or new in it: nothing to compare with.
    expect(rows[1].red).toEqual({ before: 2, after: null, change: null, changeText: '–' });
    expect(rows[2].overdue).toEqual({ before: null, after: 4, change: null, changeText: '–' });
    expect(totals.percentComplete).toEqual({ before: 25, after: 33, change: 8, changeText: '+8' });
    expect(totals.green).toEqual({ before: 1, after: 0, change: -1, changeText: '-1' });
  });

  it('shows only the later figures when there is nothing earlier', () => {
    const { rows, totals } = compareSnapshots(null, after);
    expect(rows.map((r) => r.key)).toEqual(['a', 'c']);
    expect(rows[0].percentComplete).toEqual({ before: null, after: 60, change: null, changeText: '–' });
    expect(totals.overdue).toEqual({ before: null, after: 4, change: null, changeText: '–' });
  });

  it('formats a change with its sign', () => {
    expect([5, -3, 0, null].map(formatChange)).toEqual(['+5', '-3', '0', '–']);
  });
});

describe('the "Take a snapshot now" form', () => {
  it.each([
    [{ name: '  Board return March 2026 ' }, { name: 'Board return March 2026' }],
    [{ name: '   ' }, { name: '   ', error: 'Enter a name for the snapshot' }],
    [{}, { name: '', error: 'Enter a name for the snapshot' }],
    [{ name: ['a', 'b'] }, { name: '', error: 'Enter a name for the snapshot' }],
    [{ name: 'x'.repeat(201) }, { name: 'x'.repeat(201), error: 'Name must be 200 characters or fewer' }],
    [{ name: 'a\u0000b' }, { name: 'a\u0000b', error: 'Name must only include letters, numbers and punctuation' }],
  ])('%j → %j', (body, expected) => expect(parseSnapshotName(body)).toEqual(expected));
});
