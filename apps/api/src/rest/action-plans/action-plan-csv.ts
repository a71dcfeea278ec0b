import { plainToInstance } from 'class-transformer';
import { isEmail, validateSync } from 'class-validator';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import {
  ActionPlanRow,
  ImportedAction,
  ImportedRecommendation,
  ImportFile,
  ImportRowError,
  PRIORITIES,
  RECOMMENDATION_SOURCES,
  RESPONSE_WORDING,
  RESPONSES,
  THEME_KEYS,
  THEMES,
} from '@rt/domain';
import { CreateActionRequest } from '../actions/action.dto';
import { fieldErrors } from '../common/validation';
import { CreateRecommendationRequest } from '../recommendations/recommendation.dto';

/** A recommendation's columns: its JSON field names. Rows repeating a reference may repeat them or leave them blank. */
export const RECOMMENDATION_COLUMNS = [
  'reference',
  'text',
  'theme',
  'priority',
  'targetDate',
  'source',
  'response',
  'responseRationale',
] as const;
/** An action's columns: its JSON field names prefixed with `action`; the owner is named by email. */
export const ACTION_COLUMNS = ['actionTitle', 'actionDescription', 'actionOwnerEmail', 'actionDueDate'] as const;
export const IMPORT_COLUMNS = [...RECOMMENDATION_COLUMNS, ...ACTION_COLUMNS] as const;
export const REQUIRED_COLUMNS = ['reference', 'text', 'theme', 'priority'] as const;
type ImportColumn = (typeof IMPORT_COLUMNS)[number];
type RecommendationColumn = (typeof RECOMMENDATION_COLUMNS)[number];

/** The export's columns, in order: every import column, and more that the import recognises and ignores. */
export const EXPORT_COLUMNS: readonly (keyof ActionPlanRow)[] = [
  'organisation',
  'inspection',
  'reference',
  'text',
  'theme',
  'priority',
  'source',
  'targetDate',
  'response',
  'responseRationale',
  'recommendationStatus',
  'actionTitle',
  'actionDescription',
  'actionOwnerName',
  'actionOwnerEmail',
  'actionDueDate',
  'actionOriginalDueDate',
  'actionStatus',
  'actionProgress',
  'actionRag',
  'actionDaysOverdue',
  'latestUpdateAt',
  'latestUpdateBy',
  'latestUpdateComment',
];
export const EXPORT_DATE_COLUMNS: readonly (keyof ActionPlanRow)[] = [
  'targetDate',
  'actionDueDate',
  'actionOriginalDueDate',
];

// ---- CSV injection --------------------------------------------------------------------------------------------

/** A spreadsheet would read a cell starting with one of these as a formula. */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Prefixes a cell a spreadsheet would take for a formula with `'` (OWASP's advice). A cell that already starts with
 * quotes before such a character gets one more, so `unescapeCell` gives back exactly what was written.
 */
export function escapeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unescapeCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value) ? value.slice(1) : value;
}

// ---- Writing --------------------------------------------------------------------------------------------------

const BOM = '\uFEFF';

/** UTF-8 with a byte order mark and CRLF line ends, as Excel opens it; every cell escaped against formulas. */
export function actionPlanCsv(rows: readonly ActionPlanRow[]): string {
  const records = rows.map((row) =>
    EXPORT_COLUMNS.map((column) => {
      const value = row[column];
      return value === null ? '' : typeof value === 'number' ? String(value) : escapeCell(value);
    }),
  );
  return BOM + stringify([[...EXPORT_COLUMNS], ...records], { record_delimiter: 'windows' });
}

/** The columns the import reads, as an empty file to fill in. */
export function importTemplateCsv(): string {
  return BOM + stringify([[...IMPORT_COLUMNS]], { record_delimiter: 'windows' });
}

// ---- Reading --------------------------------------------------------------------------------------------------

const normalise = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');
const KNOWN_COLUMNS = new Map<string, string>(
  [...IMPORT_COLUMNS, ...EXPORT_COLUMNS].map((column) => [normalise(column), column]),
);
const IMPORTED = new Set<string>(IMPORT_COLUMNS);

/** Keys as written, and the wordings people type (theme names, "Agreed"), case-insensitively. */
const ALIASES: Partial<Record<RecommendationColumn, Map<string, string>>> = {
  theme: new Map([
    ...THEME_KEYS.map((k) => [k, k] as const),
    ...Object.entries(THEMES).map(([k, name]) => [name.toLowerCase(), k] as const),
  ]),
  priority: new Map(PRIORITIES.map((k) => [k, k])),
  source: new Map(RECOMMENDATION_SOURCES.map((k) => [k, k])),
  response: new Map([
    ...RESPONSES.map((k) => [k, k] as const),
    ...Object.entries(RESPONSE_WORDING).map(([k, wording]) => [wording.toLowerCase(), k] as const),
  ]),
};
const canonical = (column: RecommendationColumn, value: string) => ALIASES[column]?.get(value.toLowerCase()) ?? value;

/** Excel re-saves dates in the machine's format: a UK date (31/03/2014) is read as 2014-03-31. */
function isoDateOf(value: string): string {
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  return uk ? `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}` : value;
}

/** Class-validator's messages name the JSON field; in a file the column is what the reader sees. */
const renamed = (message: string, field: string, column: string) =>
  field === column ? message : message.replace(new RegExp(`^${field}\\b`), column);

/** Each cell's first problem, found by the JSON API's own request type; an empty cell is simply "blank". */
function dtoErrors<T extends object>(
  type: new () => T,
  plain: Record<string, unknown>,
  columnOf: (field: string) => string,
) {
  const errors = validateSync(plainToInstance(type, plain), {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  const first = new Map<string, string>();
  for (const e of fieldErrors(errors)) {
    const column = columnOf(e.field);
    if (first.has(column)) continue;
    first.set(
      column,
      plain[e.field] === undefined ? `${column} must not be blank` : renamed(e.message, e.field, column),
    );
  }
  return [...first].map(([column, message]) => ({ column, message }));
}

type Cells = Partial<Record<ImportColumn, string>>;

/**
 * Reads an import file into recommendations and actions, checking every cell with the JSON API's own request
 * types, and collects every problem by row and column. Rows are numbered as a spreadsheet shows them (the header is
 * row 1); blank rows are skipped. A recommendation spans the rows that repeat its reference, one action per row.
 */
export function readRecommendationsCsv(body: Buffer): ImportFile {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return fileError(null, 'the file is not UTF-8 text: save it as "CSV UTF-8 (comma delimited)"');
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, relax_quotes: false });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const at = (error as CsvError & { records?: number }).records;
    return fileError(typeof at === 'number' ? at + 1 : null, `the file is not valid CSV: ${error.message}`);
  }
  const isBlank = (record: string[]) => record.every((cell) => cell.trim() === '');
  if (records.length === 0 || isBlank(records[0])) {
    return fileError(1, `the first row must name the columns: ${IMPORT_COLUMNS.join(', ')}`);
  }

  const errors: ImportRowError[] = [];
  const header = records[0].map((h) => h.trim());
  const columns: (ImportColumn | null)[] = [];
  const seen = new Set<string>();
  header.forEach((name, index) => {
    const column = KNOWN_COLUMNS.get(normalise(name));
    if (name === '' && records.every((r) => (r[index] ?? '').trim() === '')) {
      columns.push(null); // an empty column a spreadsheet left behind
    } else if (!column) {
      errors.push({
        row: 1,
        column: name || null,
        message: `unknown column ${JSON.stringify(name)}: the columns are ${IMPORT_COLUMNS.join(', ')}`,
      });
      columns.push(null);
    } else if (seen.has(column)) {
      errors.push({ row: 1, column, message: 'this column appears twice' });
      columns.push(null);
    } else {
      seen.add(column);
      columns.push(IMPORTED.has(column) ? (column as ImportColumn) : null);
    }
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!seen.has(required)) errors.push({ row: 1, column: required, message: 'this column is missing' });
  }
  if (errors.length > 0) return { recommendations: [], errors };

  const recommendations = new Map<string, ImportedRecommendation & { cells: Cells; valid: boolean }>();
  for (let index = 1; index < records.length; index++) {
    const record = records[index];
    const row = index + 1;
    if (isBlank(record)) continue;
    if (record.length > header.length && !isBlank(record.slice(header.length))) {
      errors.push({
        row,
        column: null,
        message: `this row has ${record.length} cells; the header has ${header.length}`,
      });
      continue;
    }
    const cells: Cells = {};
    columns.forEach((column, i) => {
      const value = unescapeCell((record[i] ?? '').trim());
      if (column && value !== '') cells[column] = value;
    });
    const reference = cells.reference;
    if (!reference) {
      errors.push({ row, column: 'reference', message: 'reference must not be blank' });
      continue;
    }
    let recommendation = recommendations.get(reference);
    if (!recommendation) {
      recommendation = readRecommendation(row, cells, errors);
      recommendations.set(reference, recommendation);
    } else {
      for (const column of RECOMMENDATION_COLUMNS) {
        const value = cells[column];
        if (value !== undefined && value !== recommendation.cells[column]) {
          errors.push({
            row,
            column,
            message: `differs from row ${recommendation.row}, where ${reference} first appears: repeat it unchanged or leave it blank`,
          });
        }
      }
    }
    const action = readAction(row, cells, errors);
    if (!action) continue;
    const twin = recommendation.actions.find((a) => a.title.toLowerCase() === action.title.toLowerCase());
    if (twin) {
      errors.push({ row, column: 'actionTitle', message: `${reference} already has this action on row ${twin.row}` });
    } else {
      recommendation.actions.push(action);
    }
  }
  return {
    recommendations: [...recommendations.values()]
      .filter((r) => r.valid)
      .map(({ row, input, actions }) => ({ row, input, actions })),
    errors,
  };
}

function fileError(row: number | null, message: string): ImportFile {
  return { recommendations: [], errors: [{ row, column: null, message }] };
}

function readRecommendation(row: number, cells: Cells, errors: ImportRowError[]) {
  const input = {
    reference: cells.reference!,
    text: cells.text,
    theme: cells.theme === undefined ? undefined : canonical('theme', cells.theme),
    priority: cells.priority === undefined ? undefined : canonical('priority', cells.priority),
    ...(cells.source ? { source: canonical('source', cells.source) } : {}),
    ...(cells.response ? { response: canonical('response', cells.response) } : {}),
    responseRationale: cells.responseRationale ?? null,
    targetDate: cells.targetDate ? isoDateOf(cells.targetDate) : null,
  };
  const problems = dtoErrors(CreateRecommendationRequest, input, (field) => field);
  for (const p of problems) errors.push({ row, ...p });
  return {
    row,
    input: input as unknown as ImportedRecommendation['input'],
    actions: [] as ImportedAction[],
    cells,
    valid: problems.length === 0,
  };
}

const ACTION_FIELD_COLUMNS: Record<string, string> = {
  title: 'actionTitle',
  description: 'actionDescription',
  dueDate: 'actionDueDate',
};

function readAction(row: number, cells: Cells, errors: ImportRowError[]): ImportedAction | null {
  if (ACTION_COLUMNS.every((c) => cells[c] === undefined)) return null;
  const input = {
    title: cells.actionTitle,
    description: cells.actionDescription ?? null,
    dueDate: cells.actionDueDate === undefined ? undefined : isoDateOf(cells.actionDueDate),
  };
  const problems = dtoErrors(CreateActionRequest, input, (field) => ACTION_FIELD_COLUMNS[field] ?? field);
  const email = cells.actionOwnerEmail;
  if (email !== undefined && !isEmail(email)) {
    problems.push({ column: 'actionOwnerEmail', message: 'actionOwnerEmail must be an email address' });
  }
  for (const p of problems) errors.push({ row, ...p });
  if (problems.length > 0) return null;
  return {
    row,
    title: input.title!,
    description: input.description,
    ownerEmail: email ?? null,
    dueDate: input.dueDate!,
  };
}
