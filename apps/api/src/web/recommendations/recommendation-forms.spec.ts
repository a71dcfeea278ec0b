import { RecommendationView } from '@rt/domain';
import { assignFormFrom, parseAssign, readAssignForm } from './assign-action.form';
import { emptyNewActionForm, parseNewAction, readNewActionForm } from './new-action.form';
import { parseResponse, readResponseForm, RESPONSE_OPTIONS, responseFormFrom } from './recommendation-response.form';

describe('the "Edit response" form', () => {
  it('offers the three answers in the action plan’s words', () => {
    expect(RESPONSE_OPTIONS.map((o) => o.text)).toEqual(['Agreed', 'Partly agreed', 'Not agreed']);
  });

  it('starts from the saved response, with nothing chosen while it is pending', () => {
    const recommendation = { version: 4, response: 'pending', responseRationale: null } as RecommendationView;
    expect(responseFormFrom(recommendation)).toEqual({ version: '4', response: '', responseRationale: '' });
    expect(responseFormFrom({ ...recommendation, response: 'not_accepted', responseRationale: 'No' })).toMatchObject({
      response: 'not_accepted',
      responseRationale: 'No',
    });
  });

  it('sends the response, a trimmed rationale (or none) and the version', () => {
    const form = readResponseForm({ version: '3', response: 'partially_accepted', responseRationale: ' Partly ' });
    expect(parseResponse(form)).toEqual({
      ok: true,
      version: 3,
      input: { response: 'partially_accepted', responseRationale: 'Partly' },
    });
    expect(parseResponse({ ...form, response: 'accepted', responseRationale: '  ' })).toMatchObject({
      input: { response: 'accepted', responseRationale: null },
    });
  });

  it('leaves the rationale rule to the service: "Not agreed" without one passes the form', () => {
    expect(parseResponse(readResponseForm({ version: '1', response: 'not_accepted' }))).toMatchObject({ ok: true });
  });

  it.each([
    [{ response: 'pending' }, 'response'],
    [{ response: '' }, 'response'],
    [{ response: 'accepted', responseRationale: 'x'.repeat(5001) }, 'responseRationale'],
  ])('refuses %j naming %s', (fields, field) => {
    const parsed = parseResponse(readResponseForm({ version: '1', ...fields }));
    expect(parsed.ok ? [] : Object.keys(parsed.errors)).toEqual([field]);
  });
});

describe('the "Add an action" form', () => {
  const owners = ['owner-1', 'owner-2'];
  const form = (fields: Record<string, string> = {}) =>
    readNewActionForm({
      title: ' Train staff ',
      description: '',
      ownerId: 'owner-2',
      'dueDate-day': '1',
      'dueDate-month': '5',
      'dueDate-year': '2026',
      ...fields,
    });

  it('makes the service’s input: trimmed title, no empty description, the owner or none, the date', () => {
    expect(parseNewAction(form(), owners)).toEqual({
      ok: true,
      input: { title: 'Train staff', description: null, ownerId: 'owner-2', dueDate: '2026-05-01' },
    });
    expect(parseNewAction(form({ ownerId: '', description: ' Why ' }), owners)).toMatchObject({
      input: { ownerId: null, description: 'Why' },
    });
  });

  it('names every field in error at once', () => {
    const parsed = parseNewAction(form({ title: '', ownerId: 'stranger', 'dueDate-year': '' }), owners);
    expect(parsed).toEqual({
      ok: false,
      errors: {
        title: 'Enter a title',
        ownerId: 'Select an owner from the list',
        dueDate: 'Due date must include a year',
      },
    });
  });

  it('refuses a description over 5000 characters', () => {
    const parsed = parseNewAction(form({ description: 'd'.repeat(5001) }), owners);
    expect(parsed.ok ? {} : parsed.errors).toEqual({ description: 'Description must be 5000 characters or fewer' });
  });

  it('starts empty', () => {
    expect(Object.values(emptyNewActionForm()).every((v) => v === '')).toBe(true);
  });
});

describe('the "Assign" form', () => {
  const current = { version: 2, ownerId: 'owner-1' };
  const owners = ['owner-1', 'owner-2'];

  it('starts from the action’s owner and version', () => {
    expect(assignFormFrom(current)).toEqual({ version: '2', ownerId: 'owner-1', comment: '' });
    expect(assignFormFrom({ version: 1, ownerId: null }).ownerId).toBe('');
  });

  it('sends the new owner, with the comment only when there is one', () => {
    const parsed = parseAssign(
      readAssignForm({ version: '2', ownerId: 'owner-2', comment: ' Over to you ' }),
      current,
      owners,
    );
    expect(parsed).toEqual({ ok: true, version: 2, input: { ownerId: 'owner-2', comment: 'Over to you' } });
    expect(parseAssign(readAssignForm({ version: '2', ownerId: 'owner-2' }), current, owners)).toEqual({
      ok: true,
      version: 2,
      input: { ownerId: 'owner-2' },
    });
  });

  it.each([
    ['', 'Select the new owner'],
    ['stranger', 'Select an owner from the list'],
    ['owner-1', 'Select someone else: this person already owns it'],
  ])('refuses owner %j: %s', (ownerId, message) => {
    expect(parseAssign(readAssignForm({ version: '2', ownerId }), current, owners)).toEqual({
      ok: false,
      errors: { ownerId: message },
    });
  });
});
