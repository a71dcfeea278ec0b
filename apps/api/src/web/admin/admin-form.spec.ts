import { DomainException } from '@rt/domain';
import { checkText, dateFromForm, FormErrors, refusalErrors } from './admin-form';
import { dateToFields } from '../date-input';
import { values } from '../web-forms';

const date = (day: string, month: string, year: string) => ({ 'd-day': day, 'd-month': month, 'd-year': year });

describe('the admin forms’ shared parts', () => {
  it.each([
    [date('1', '6', '2014'), { date: '2014-06-01' }],
    [date(' 29 ', '02', '2024'), { date: '2024-02-29' }],
    [date('', '', ''), { date: null }],
    [date('29', '2', '2026'), { date: null, error: 'Start date must be a real date' }],
    [date('1', '13', '2026'), { date: null, error: 'Start date must be a real date' }],
    [date('1', '6', '14'), { date: null, error: 'Year must include 4 numbers' }],
    [date('1', '', '2014'), { date: null, error: 'Start date must include a month' }],
    [date('1', 'June', '2014'), { date: '2014-06-01' }],
  ])('reads the date input %j', (form, expected) => {
    expect(dateFromForm(form, 'd', 'Start date', false)).toEqual(expected);
  });

  it('says a required date is missing, and fills the boxes back from a date', () => {
    expect(dateFromForm({}, 'd', 'Start date', true)).toEqual({ date: null, error: 'Enter the start date' });
    expect(dateToFields('d', '2014-06-01')).toEqual(date('1', '6', '2014'));
    expect(dateToFields('d', null)).toEqual(date('', '', ''));
  });

  it('checks text: required, length, the NUL character; optional text is null when blank', () => {
    const errors: FormErrors = {};
    expect(checkText(errors, 'a', '  Kent  ', { label: 'Name', max: 10, empty: 'Enter a name' })).toBe('Kent');
    checkText(errors, 'b', ' ', { label: 'Name', max: 10, empty: 'Enter a name' });
    checkText(errors, 'c', 'x'.repeat(11), { label: 'Name', max: 10 });
    checkText(errors, 'd', 'a\u0000b', { label: 'Name', max: 10 });
    expect(checkText(errors, 'e', '', { label: 'Programme', max: 10 })).toBeNull();
    expect(errors).toEqual({
      b: 'Enter a name',
      c: 'Name must be 10 characters or fewer',
      d: 'Name must not contain the NUL character',
    });
  });

  it('reads repeated fields as lists, ignoring anything that is not text', () => {
    expect(values({ a: ['x', 'y', ''], b: 'z', c: 5 }, 'a')).toEqual(['x', 'y']);
    expect(values({ b: 'z' }, 'b')).toEqual(['z']);
    expect(values({ c: 5 }, 'c')).toEqual([]);
  });

  it('turns refusals the user can act on into field errors, and leaves the rest to be thrown', () => {
    expect(refusalErrors(DomainException.invalid('organisationId', 'no organisation has this id'), 'name')).toEqual({
      organisationId: 'No organisation has this id',
    });
    expect(refusalErrors(new DomainException('rule_violated', 'not allowed'), 'name')).toEqual({ name: 'Not allowed' });
    const duplicate = Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'users_email_key' });
    expect(refusalErrors(duplicate, 'name')).toEqual({ email: 'A user with this email address already exists' });
    expect(refusalErrors(DomainException.notFound('User'), 'name')).toBeNull();
    expect(refusalErrors(new Error('connection refused'), 'name')).toBeNull();
  });
});
