import { DomainException } from '@rt/domain';
import { formRefusal, uuidOf } from './form-fields';
import { allPages, readFields } from '../web-forms';

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
