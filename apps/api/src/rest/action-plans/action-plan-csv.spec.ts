import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { ActionPlanRow } from '@rt/domain';
import {
  actionPlanCsv,
  escapeCell,
  EXPORT_COLUMNS,
  IMPORT_COLUMNS,
  importTemplateCsv,
  readRecommendationsCsv,
  unescapeCell,
} from './action-plan-csv';

const file = (text: string) => Buffer.from(text, 'utf8');
const HEADER = 'reference,text,theme,priority,targetDate,actionTitle,actionOwnerEmail,actionDueDate';

describe('reading an import file', () => {
  it('reads recommendations with one action per row, repeating the reference', () => {
    const { recommendations, errors } = readRecommendationsCsv(
      file(
        `${HEADER}\n` +
          'R1,Improve the management of risk of harm.,risk_of_harm,high,2014-09-30,Train staff,a@example.org,2014-05-30\n' +
          'R1,,,,,Audit plans,,2014-06-30\n' +
          'R2,Make routine checks.,protecting_children,medium,,,,\n',
      ),
    );
    expect(errors).toEqual([]);
    expect(recommendations).toEqual([
      {
        row: 2,
        input: {
          reference: 'R1',
          text: 'Improve the management of risk of harm.',
          theme: 'risk_of_harm',
          priority: 'high',
          responseRationale: null,
          targetDate: '2014-09-30',
        },
        actions: [
          { row: 2, title: 'Train staff', description: null, ownerEmail: 'a@example.org', dueDate: '2014-05-30' },
          { row: 3, title: 'Audit plans', description: null, ownerEmail: null, dueDate: '2014-06-30' },
        ],
      },
      expect.objectContaining({ row: 4, actions: [] }),
    ]);
  });

  it('reports every problem by row and column, numbering rows as a spreadsheet does', () => {
    const { errors } = readRecommendationsCsv(
      file(
        `${HEADER}\n` +
          'R1,Text,risk_of_harm,urgent,2014-02-30,,,\n' +
          ',Text,risk_of_harm,high,,,,\n' +
          'R2,  ,no_such_theme,high,,Do it,not-an-email,\n' +
          'R3,Text,risk_of_harm,high,,Do it,,2014-01-01\n' +
          'R3,Other text,,,,Do it,,2014-01-01\n' +
          'R4,Text,risk_of_harm,high,,,,,extra\n',
      ),
    );
    expect(errors.map(({ row, column }) => [row, column])).toEqual([
      [2, 'priority'],
      [2, 'targetDate'],
      [3, 'reference'],
      [4, 'text'],
      [4, 'theme'],
      [4, 'actionDueDate'],
      [4, 'actionOwnerEmail'],
      [6, 'text'],
      [6, 'actionTitle'],
      [7, null],
    ]);
    expect(errors.find((e) => e.column === 'actionDueDate')!.message).toMatch(/^actionDueDate /);
    expect(errors.find((e) => e.row === 6 && e.column === 'text')!.message).toMatch(/differs from row 5/);
  });

  it('refuses unknown, repeated and missing columns, and accepts the export’s own', () => {
    const { errors } = readRecommendationsCsv(file('reference,txt,theme,theme\nR1,a,risk_of_harm,risk_of_harm\n'));
    expect(errors).toEqual([
      expect.objectContaining({ row: 1, column: 'txt', message: expect.stringMatching(/unknown column/) }),
      expect.objectContaining({ row: 1, column: 'theme', message: 'this column appears twice' }),
      expect.objectContaining({ row: 1, column: 'text' }),
      expect.objectContaining({ row: 1, column: 'priority' }),
    ]);
    const exported = readRecommendationsCsv(
      file(
        'Organisation,Reference,Text,Theme,Priority,Action RAG,action_status\nKent,R1,a,risk_of_harm,high,red,blocked\n',
      ),
    );
    expect(exported.errors).toEqual([]);
  });

  it('handles a byte order mark, CRLF, quoted commas, quotes and new lines, and blank rows', () => {
    const { recommendations, errors } = readRecommendationsCsv(
      file(
        `\uFEFF${HEADER}\r\n` +
          'R1,"Improve risk of harm work, ""urgently"",\r\nacross the Trust",Risk of harm to others,HIGH,30/09/2014,,,\r\n' +
          ',,,,,,,\r\n\r\n',
      ),
    );
    expect(errors).toEqual([]);
    expect(recommendations[0].input).toMatchObject({
      text: 'Improve risk of harm work, "urgently",\r\nacross the Trust',
      theme: 'risk_of_harm',
      priority: 'high',
      targetDate: '2014-09-30',
    });
  });

  it('reports a file that is not UTF-8, is empty or is not valid CSV', () => {
    expect(readRecommendationsCsv(Buffer.from([0x52, 0x31, 0xe9, 0x0a])).errors[0]).toMatchObject({ row: null });
    expect(readRecommendationsCsv(file('')).errors[0]).toMatchObject({ row: 1 });
    expect(readRecommendationsCsv(file(`${HEADER}\nR1,"unclosed,x,high\n`)).errors[0]).toMatchObject({
      row: 2,
      message: expect.stringMatching(/not valid CSV/),
    });
  });
});

describe('CSV injection', () => {
  it('prefixes cells a spreadsheet would evaluate, and reading gives back exactly what was written', () => {
    expect(escapeCell('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(escapeCell('-1')).toBe(`'-1`);
    expect(escapeCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(escapeCell('plain')).toBe('plain');
    fc.assert(fc.property(fc.string(), (s) => unescapeCell(escapeCell(s)) === s));
  });
});

describe('writing', () => {
  const row: ActionPlanRow = {
    organisation: 'Kent Probation Trust',
    inspection: 'Inspection, 2014',
    reference: 'R1',
    text: '=1+1 and "quotes"\nnew line',
    theme: 'risk_of_harm',
    priority: 'high',
    source: 'report',
    targetDate: '2014-09-30',
    response: 'accepted',
    responseRationale: null,
    recommendationStatus: 'in_progress',
    actionTitle: '+ train staff',
    actionDescription: null,
    actionOwnerName: 'Head of Public Protection',
    actionOwnerEmail: 'a@example.org',
    actionDueDate: '2014-05-30',
    actionOriginalDueDate: '2014-05-30',
    actionStatus: 'in_progress',
    actionProgress: 40,
    actionRag: 'red',
    actionDaysOverdue: 3,
    latestUpdateAt: '2014-05-01T09:00:00.000Z',
    latestUpdateBy: 'Head of Public Protection',
    latestUpdateComment: '@team done',
  };

  it('writes a BOM, CRLF and escaped cells that read back as an import', () => {
    const csv = actionPlanCsv([row]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\n');
    const [header, cells] = parse(csv, { bom: true }) as string[][];
    expect(header).toEqual(EXPORT_COLUMNS);
    expect(cells[EXPORT_COLUMNS.indexOf('text')]).toBe(`'=1+1 and "quotes"\nnew line`);
    const { recommendations, errors } = readRecommendationsCsv(Buffer.from(csv));
    expect(errors).toEqual([]);
    expect(recommendations[0].input.text).toBe(row.text);
    expect(recommendations[0].actions[0].title).toBe('+ train staff');
  });

  it('offers a template naming every column the import reads', () => {
    expect(parse(importTemplateCsv(), { bom: true })).toEqual([[...IMPORT_COLUMNS]]);
  });
});
