import { ActionView } from '@rt/domain';
import { errorSummary, formFromAction, parseActionUpdate, readActionUpdateForm } from './action-update.form';
import { safeReturnPath } from '../web-paths';

const action = {
  id: 'a',
  status: 'in_progress',
  progress: 40,
  evidence: null,
  dueDate: '2026-03-31',
  version: 3,
} as unknown as ActionView;

const form = (fields: Record<string, string>) => readActionUpdateForm({ ...formFromAction(action), ...fields });

describe('the "Update progress" form', () => {
  it('sends the domain only what changed, with the comment', () => {
    expect(parseActionUpdate(form({ progress: '60', comment: '  Audit done ' }), action)).toEqual({
      ok: true,
      version: 3,
      input: { progress: 60, comment: 'Audit done' },
    });
    const redated = parseActionUpdate(
      form({ 'dueDate-day': '1', 'dueDate-month': '5', 'dueDate-year': '2026', comment: 'Late data' }),
      action,
    );
    expect(redated).toMatchObject({ ok: true, input: { dueDate: '2026-05-01' } });
  });

  it.each([
    [{ progress: '101' }, 'progress'],
    [{ progress: '4.5' }, 'progress'],
    [{ status: 'done' }, 'status'],
    [{ 'dueDate-day': '30', 'dueDate-month': '2', 'dueDate-year': '2026' }, 'dueDate'],
    [{ 'dueDate-day': '3' }, 'dueDate'],
    [{}, 'comment'],
  ])('refuses %j naming %s', (fields, field) => {
    const parsed = parseActionUpdate(form(fields), action);
    expect(parsed.ok).toBe(false);
    expect(Object.keys(parsed.ok ? {} : parsed.errors)).toContain(field);
  });

  it('links each error to its field, in the order of the form', () => {
    expect(errorSummary({ comment: 'c', dueDate: 'd', status: 's' }).map((e) => e.href)).toEqual([
      '#status',
      '#dueDate-day',
      '#comment',
    ]);
  });

  it('ignores values that are not strings', () => {
    expect(readActionUpdateForm({ status: ['a', 'b'], progress: 5 })).toMatchObject({ status: '', progress: '' });
  });
});

describe('the return path after sign-in', () => {
  it.each([
    ['/actions/1?x=2', '/actions/1?x=2'],
    ['/', '/'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['actions', '/'],
    [undefined, '/'],
  ])('%s → %s', (input, expected) => expect(safeReturnPath(input)).toBe(expected));
});
