import { ActionStatus, ActionView, Role } from '@rt/domain';
import {
  actionUpdateErrorSummary,
  formFromAction,
  parseActionUpdate,
  readActionUpdateForm,
  updateChoices,
} from './action-update.form';
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
const asManager = updateChoices('senior_manager', action);

describe('the "Update progress" form', () => {
  it('sends the domain only what changed, with the comment', () => {
    expect(parseActionUpdate(form({ progress: '60', comment: '  Audit done ' }), action, asManager)).toEqual({
      ok: true,
      version: 3,
      input: { progress: 60, comment: 'Audit done' },
    });
    const redated = parseActionUpdate(
      form({ 'dueDate-day': '1', 'dueDate-month': '5', 'dueDate-year': '2026', comment: 'Late data' }),
      action,
      asManager,
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
    const parsed = parseActionUpdate(form(fields), action, asManager);
    expect(parsed.ok).toBe(false);
    expect(Object.keys(parsed.ok ? {} : parsed.errors)).toContain(field);
  });

  it('leaves alone the fields it did not offer, whatever is posted, and asks only for what it offered', () => {
    const completed = { ...action, status: 'completed', progress: 100, evidence: 'Audit report' } as ActionView;
    const overseer = updateChoices('performance_manager', completed);
    const posted = (fields: Record<string, string>) => readActionUpdateForm({ version: '3', ...fields });
    expect(parseActionUpdate(posted({ status: 'verified' }), completed, overseer)).toEqual({
      ok: true,
      version: 3,
      input: { status: 'verified' },
    });
    expect(
      parseActionUpdate(posted({ status: 'completed', progress: '5', evidence: '' }), completed, overseer),
    ).toEqual({ ok: false, errors: { comment: 'Enter a comment, or change the status' } });
    const closed = { ...completed, status: 'cancelled' } as ActionView;
    expect(parseActionUpdate(posted({}), closed, updateChoices('senior_manager', closed))).toEqual({
      ok: false,
      errors: { comment: 'Enter a comment' },
    });
  });

  it('links each error to its field, in the order of the form', () => {
    expect(
      actionUpdateErrorSummary({ comment: 'c', dueDate: 'd', status: 's' }, { dueDate: ['day'] }).map((e) => e.href),
    ).toEqual(['#status', '#dueDate-day', '#comment']);
  });

  it('ignores values that are not strings', () => {
    expect(readActionUpdateForm({ status: ['a', 'b'], progress: 5 })).toMatchObject({ status: '', progress: '' });
  });
});

describe('what the form offers, as the domain answers', () => {
  const at = (status: ActionStatus, progress = status === 'completed' || status === 'verified' ? 100 : 40) =>
    ({ ...action, status, progress }) as ActionView;
  const offered = (role: Role, status: ActionStatus) => {
    const { statuses, progress, dueDate, evidence, comment } = updateChoices(role, at(status));
    return {
      statuses,
      fields: Object.entries({ progress, dueDate, evidence }).flatMap(([f, on]) => (on ? [f] : [])),
      comment,
    };
  };
  const ALL_FIELDS = ['progress', 'dueDate', 'evidence'];

  it.each<[Role, ActionStatus, ActionStatus[], string[]]>([
    ['senior_manager', 'not_started', ['not_started', 'in_progress', 'cancelled'], ALL_FIELDS],
    ['senior_manager', 'in_progress', ['in_progress', 'blocked', 'completed', 'cancelled'], ALL_FIELDS],
    ['senior_manager', 'blocked', ['in_progress', 'blocked', 'completed', 'cancelled'], ALL_FIELDS],
    // Reopen or cancel (progress only with them), re-date, or add evidence; verifying is not theirs.
    ['senior_manager', 'completed', ['in_progress', 'completed', 'cancelled'], ALL_FIELDS],
    ['senior_manager', 'verified', [], []],
    ['senior_manager', 'cancelled', [], []],
    ['performance_manager', 'in_progress', [], []],
    ['performance_manager', 'completed', ['in_progress', 'completed', 'verified'], []],
    ['performance_manager', 'verified', ['in_progress', 'verified'], []],
    ['admin', 'in_progress', ['in_progress', 'blocked', 'completed', 'cancelled'], ALL_FIELDS],
    ['admin', 'completed', ['in_progress', 'completed', 'verified', 'cancelled'], ALL_FIELDS],
    // A verified action is reopened first, then edited.
    ['admin', 'verified', ['in_progress', 'verified'], []],
    ['admin', 'cancelled', [], []],
  ])('%s on a %s action: statuses %j, fields %j, and a comment', (role, status, statuses, fields) => {
    expect(offered(role, status)).toEqual({ statuses, fields, comment: true });
  });

  it('offers a viewer nothing', () => {
    expect(updateChoices('viewer', at('in_progress'))).toMatchObject({ statuses: [], progress: false, comment: false });
  });

  it('says why only a comment is left, in the domain’s words', () => {
    expect(updateChoices('senior_manager', at('verified')).reasons).toEqual([
      'A verified action cannot be edited; reopen it first.',
      'Only a performance manager for this organisation (or an admin) can reopen a verified action.',
    ]);
    expect(updateChoices('senior_manager', at('cancelled')).reasons).toEqual(['A cancelled action cannot be edited.']);
    expect(updateChoices('performance_manager', at('in_progress')).reasons).toEqual([
      'Performance managers can verify, reopen or comment on an action, not edit it.',
    ]);
    expect(updateChoices('senior_manager', at('in_progress')).reasons).toEqual([]);
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
