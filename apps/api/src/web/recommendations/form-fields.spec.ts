import { DomainException } from '@rt/domain';
import { errorSummaryOf, formRefusal, parseDateInput, uuidOf } from './form-fields';
import { allPages, readFields } from '../web-forms';

const date = (day: string, month: string, year: string) => parseDateInput({ day, month, year }, 'Due date');

describe('a GOV.UK date input', () => {
  it.each([
    ['30', '6', '2026', '2026-06-30'],
    [' 1 ', '01', '2027', '2027-01-01'],
    ['29', '2', '2028', '2028-02-29'],
    ['3', 'Mar', '2026', '2026-03-03'],
    ['3', 'september', '2026', '2026-09-03'],
  ])('reads %s %s %s as %s', (day, month, year, iso) => {
    expect(date(day, month, year)).toEqual({ ok: true, date: iso });
  });

  it.each([
    ['', '', '', 'Enter the due date', ['day', 'month', 'year']],
    ['', '6', '2026', 'Due date must include a day', ['day']],
    ['1', '', '', 'Due date must include a month and year', ['month', 'year']],
    ['', '', '2026', 'Due date must include a day and month', ['day', 'month']],
    ['32', '1', '2026', 'Due date must be a real date', ['day']],
    ['1', '13', '2026', 'Due date must be a real date', ['month']],
    ['x', 'y', '2026', 'Due date must be a real date', ['day', 'month']],
    ['1', 'ma', '2026', 'Due date must be a real date', ['month']],
    ['29', '2', '2026', 'Due date must be a real date', ['day', 'month', 'year']],
    ['1', '1', '26', 'Year must include 4 numbers', ['year']],
    ['1.5', '1', '2026', 'Due date must be a real date', ['day']],
  ])('refuses %j/%j/%j: %s', (day, month, year, message, parts) => {
    expect(date(day, month, year)).toEqual({ ok: false, message, parts });
  });
});

describe('the error summary', () => {
  it('lists errors in the order of the form, linking dates to their first part in error', () => {
    const errors = { dueDate: 'd', title: 't', form: 'Not allowed' };
    expect(errorSummaryOf(errors, ['title', 'dueDate'], { dueDate: ['month', 'year'] })).toEqual([
      { href: '#title', text: 't' },
      { href: '#dueDate-month', text: 'd' },
      { text: 'Not allowed' },
    ]);
  });
});

describe('reading a form', () => {
  it('takes strings only, anything else as empty', () => {
    expect(readFields({ a: 'x', b: ['1', '2'], c: { data: Buffer.from('') } }, ['a', 'b', 'c', 'd'])).toEqual({
      a: 'x',
      b: '',
      c: '',
      d: '',
    });
    expect(readFields(undefined, ['a'])).toEqual({ a: '' });
  });

  it('takes a UUID from the path, lower-cased, and nothing else', () => {
    expect(uuidOf('5DFEA037-0E93-4F6A-AC0C-274685B158A7')).toBe('5dfea037-0e93-4f6a-ac0c-274685b158a7');
    expect(uuidOf('5dfea037-0e93-4f6a-ac0c')).toBeUndefined();
    expect(uuidOf(['5dfea037-0e93-4f6a-ac0c-274685b158a7'])).toBeUndefined();
  });
});

describe("a domain service's refusal on a form", () => {
  it('names the fields of rule and validation errors, as a 400', () => {
    expect(formRefusal(DomainException.rule('r', 'responseRationale', 'a rationale is needed'))).toEqual({
      status: 400,
      errors: { responseRationale: 'A rationale is needed' },
    });
    expect(formRefusal(new DomainException('invalid', 'bad thing'))).toEqual({
      status: 400,
      errors: { form: 'Bad thing' },
    });
  });

  it('gives a forbidden change as a 403 with the reason, and leaves other failures alone', () => {
    expect(formRefusal(DomainException.forbidden('not yours'))).toEqual({ status: 403, errors: { form: 'Not yours' } });
    expect(formRefusal(DomainException.stale('This action'))).toBeNull();
    expect(formRefusal(DomainException.notFound('Action'))).toBeNull();
    expect(formRefusal(new Error('boom'))).toBeNull();
  });
});

describe('reading every page of a list', () => {
  it('follows the cursors to the end', async () => {
    const pages: Record<string, { items: number[]; nextCursor: string | null }> = {
      start: { items: [1, 2], nextCursor: 'b' },
      b: { items: [3], nextCursor: null },
    };
    const read = jest.fn(async (cursor: string | undefined) => pages[cursor ?? 'start']);
    expect(await allPages(read)).toEqual([1, 2, 3]);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
