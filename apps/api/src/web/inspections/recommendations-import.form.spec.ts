import { DomainException, ImportOutcome } from '@rt/domain';
import {
  fileRefusal,
  IMPORT_GUIDE,
  importErrorList,
  importOutcomeText,
  importProblemText,
  importRefusal,
  MAX_LISTED_PROBLEMS,
  uploadedCsv,
} from './recommendations-import.form';

const file = (filename: string, text: string, truncated = false) => ({
  filename,
  mimetype: 'text/csv',
  data: Buffer.from(text),
  truncated,
});

describe('the uploaded file', () => {
  it('is the CSV sent under the field name', () => {
    expect(uploadedCsv({ file: file('PLAN.CSV', 'reference') }, 'file')).toEqual({
      ok: true,
      data: Buffer.from('reference'),
    });
  });

  it.each([
    ['nothing sent', {}, 'Select a CSV file'],
    ['a text field, not a file', { file: 'plan.csv' }, 'Select a CSV file'],
    ['something shaped like a file', { file: { filename: 'a.csv', data: 'x' } }, 'Select a CSV file'],
    ['no file chosen', { file: file('', '') }, 'Select a CSV file'],
    ['a file over the limit', { file: file('big.csv', 'x', true) }, 'The selected file must be smaller than 1 MB'],
    ['a workbook', { file: file('plan.xlsx', 'x') }, 'The selected file must be a CSV'],
    ['an empty CSV', { file: file('plan.csv', '') }, 'The selected file is empty'],
  ])('refuses %s', (_, body, message) => {
    expect(uploadedCsv(body, 'file')).toEqual({ ok: false, message });
  });
});

describe('the import service’s refusal', () => {
  it('lists a bad file’s problems as a 400, and a role’s limit as a 403', () => {
    const problems = [{ field: 'theme', row: 3, column: 'theme', message: 'theme must be one of: a' }];
    expect(importRefusal(new DomainException('invalid', 'bad', problems))).toEqual({
      status: 400,
      message: 'The file has 1 problem: nothing was imported. Correct the file and upload it again.',
      errorList: [{ href: '#file', text: 'Row 3: theme must be one of: a' }],
    });
    expect(importRefusal(DomainException.forbidden('your role cannot add actions'))).toEqual(
      fileRefusal('Your role cannot add actions', 403),
    );
    expect(importRefusal(DomainException.notFound('Inspection'))).toBeNull();
    expect(importRefusal(new Error('boom'))).toBeNull();
  });
});

describe('the import’s problems', () => {
  it('say the row, and the column when the message does not', () => {
    expect(importProblemText({ field: 'theme', row: 4, column: 'theme', message: 'theme must be one of: a, b' })).toBe(
      'Row 4: theme must be one of: a, b',
    );
    expect(importProblemText({ field: 'theme', row: 1, column: 'theme', message: 'this column is missing' })).toBe(
      'Row 1, theme: this column is missing',
    );
    expect(importProblemText({ field: 'row 3', row: 3, column: null, message: 'this row has 9 cells' })).toBe(
      'Row 3: this row has 9 cells',
    );
    expect(importProblemText({ field: 'body', row: null, column: null, message: 'the file is not UTF-8 text' })).toBe(
      'The file is not UTF-8 text',
    );
  });

  it('all link to the file input, and a long list stops at the limit saying how many more', () => {
    const problems = Array.from({ length: MAX_LISTED_PROBLEMS + 3 }, (_, i) => ({
      field: 'text',
      row: i + 2,
      column: 'text',
      message: 'text must not be blank',
    }));
    const list = importErrorList(problems);
    expect(list).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(list.every((item) => item.href === '#file')).toBe(true);
    expect(list.at(-1)!.text).toBe('And 3 more problems');
    expect(importErrorList(problems.slice(0, 2))).toHaveLength(2);
  });
});

describe('what an import did', () => {
  const outcome = (created: number, unchanged: number, actions = 0, actionsUnchanged = 0) =>
    ({
      dryRun: false,
      recommendations: { created, unchanged },
      actions: { created: actions, unchanged: actionsUnchanged },
      items: [],
    }) as ImportOutcome;

  it('says how many recommendations came in, and what else happened', () => {
    expect(importOutcomeText(outcome(1, 0))).toEqual({ title: '1 recommendation imported', details: [] });
    expect(importOutcomeText(outcome(2, 1, 3, 1))).toEqual({
      title: '2 recommendations imported',
      details: [
        '3 actions added.',
        '1 recommendation already in the inspection left as before.',
        '1 action already there not added again.',
      ],
    });
  });
});

describe('the guide to the file', () => {
  it('lists the importer’s columns, required ones first', () => {
    expect(IMPORT_GUIDE.columns.slice(0, 4)).toEqual(IMPORT_GUIDE.required);
    expect(IMPORT_GUIDE.required).toEqual(['reference', 'text', 'theme', 'priority']);
    expect(IMPORT_GUIDE.optional).toContain('actionOwnerEmail');
    expect(IMPORT_GUIDE.limitText).toBe('1 MB');
  });
});
