import { dateBoxes, datePartsInError, dateToFields, parseDateInput } from './date-input';

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

describe('a form’s date boxes', () => {
  it('are read by prefix, anything but text as empty, and filled back from a date', () => {
    const form = { 'due-day': '3', 'due-month': ['4'], other: 'x' };
    expect(dateBoxes(form, 'due')).toEqual({ day: '3', month: '', year: '' });
    expect(dateToFields('due', '2026-03-09')).toEqual({ 'due-day': '9', 'due-month': '3', 'due-year': '2026' });
  });

  it('names the boxes of each date in error: those its reading names, or all three for another rule', () => {
    const form = { 'd-day': '1', 'd-month': '', 'd-year': '14', 'e-day': '1', 'e-month': '6', 'e-year': '2014' };
    const errors = { d: 'Start date must include a month', e: 'End date must be after the start', x: 'other' };
    expect(datePartsInError(form, errors, ['d', 'e', 'f'])).toEqual({ d: ['month'], e: ['day', 'month', 'year'] });
  });
});
