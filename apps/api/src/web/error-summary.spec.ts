import { errorSummary } from './error-summary';

describe('the GOV.UK error summary', () => {
  it('lists errors in the order of the form, each linking to its field', () => {
    expect(errorSummary({ text: 't', when: 'w', name: 'n' }, ['name', 'when', 'text'])).toEqual([
      { href: '#name', text: 'n' },
      { href: '#when', text: 'w' },
      { href: '#text', text: 't' },
    ]);
  });

  it('links a date input to its first part in error, or to its day box', () => {
    const errors = { dueDate: 'd', title: 't', startOn: 's' };
    const order = ['title', 'startOn', 'dueDate'];
    expect(errorSummary(errors, order, { dates: { startOn: ['day'], dueDate: ['month', 'year'] } })).toEqual([
      { href: '#title', text: 't' },
      { href: '#startOn-day', text: 's' },
      { href: '#dueDate-month', text: 'd' },
    ]);
  });

  it('says an error about no field of the form last, without a link', () => {
    expect(errorSummary({ form: 'Not allowed', title: 't' }, ['title'])).toEqual([
      { href: '#title', text: 't' },
      { text: 'Not allowed' },
    ]);
  });

  it('links to the fields of a form repeated on the page by their suffixed ids', () => {
    expect(errorSummary({ comment: 'c', decision: 'd' }, ['decision', 'comment'], { idSuffix: '-a1' })).toEqual([
      { href: '#decision-a1', text: 'd' },
      { href: '#comment-a1', text: 'c' },
    ]);
  });
});
