import {
  DomainException,
  FieldError,
  ImportOutcome,
  ImportRowError,
  PRIORITIES,
  RESPONSE_WORDING,
  THEME_KEYS,
} from '@rt/domain';
import { IMPORT_COLUMNS, REQUIRED_COLUMNS } from '../../rest/action-plans/action-plan-csv';
import { ErrorSummaryItem } from '../error-summary';
import { WEB_UPLOAD_LIMIT_BYTES, WebUpload } from '../web-setup';

/** What the page says about the file the import reads (the same columns as the JSON API's import). */
export const IMPORT_GUIDE = {
  columns: [...IMPORT_COLUMNS],
  required: [...REQUIRED_COLUMNS],
  optional: IMPORT_COLUMNS.filter((c) => !(REQUIRED_COLUMNS as readonly string[]).includes(c)),
  themes: THEME_KEYS,
  priorities: [...PRIORITIES],
  responses: Object.values(RESPONSE_WORDING),
  limitText: `${WEB_UPLOAD_LIMIT_BYTES / (1024 * 1024)} MB`,
};

/** The error summary lists this many of a file's problems, then says how many more there are. */
export const MAX_LISTED_PROBLEMS = 100;

/** The uploaded file under `name`, if the body holds one (a text field of that name is not a file). */
function uploadIn(body: unknown, name: string): WebUpload | null {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return value && typeof value === 'object' && Buffer.isBuffer((value as WebUpload).data) ? (value as WebUpload) : null;
}

/** The CSV file uploaded as `name`, or the GOV.UK file upload message saying why the page cannot take it. */
export function uploadedCsv(body: unknown, name: string): { ok: true; data: Buffer } | { ok: false; message: string } {
  const upload = uploadIn(body, name);
  if (!upload || (upload.filename === '' && upload.data.length === 0))
    return { ok: false, message: 'Select a CSV file' };
  if (upload.truncated) {
    return { ok: false, message: `The selected file must be smaller than ${IMPORT_GUIDE.limitText}` };
  }
  if (!/\.csv$/i.test(upload.filename)) return { ok: false, message: 'The selected file must be a CSV' };
  if (upload.data.length === 0) return { ok: false, message: 'The selected file is empty' };
  return { ok: true, data: upload.data };
}

/** One of the import's problems in words: "Row 4: theme must be one of …", naming the column if the message does not. */
export function importProblemText(problem: FieldError & Partial<ImportRowError>): string {
  const column = problem.column && !problem.message.startsWith(problem.column) ? problem.column : null;
  if (problem.row === null || problem.row === undefined) {
    return column ? `Column ${column}: ${problem.message}` : sentence(problem.message);
  }
  return `Row ${problem.row}${column ? `, ${column}` : ''}: ${problem.message}`;
}

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/** The error summary for a refused file: each problem (up to a limit), every one linking to the file input. */
export function importErrorList(problems: readonly (FieldError & Partial<ImportRowError>)[]): ErrorSummaryItem[] {
  const listed: ErrorSummaryItem[] = problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((p) => ({ href: '#file', text: importProblemText(p) }));
  const more = problems.length - listed.length;
  if (more > 0) listed.push({ href: '#file', text: `And ${more} more problem${more === 1 ? '' : 's'}` });
  return listed;
}

/** What the page says when it cannot import: the message at the file input and the error summary's items. */
export interface ImportRefusal {
  status: number;
  message: string;
  errorList: ErrorSummaryItem[];
}

export const fileRefusal = (message: string, status = 400): ImportRefusal => ({
  status,
  message,
  errorList: [{ href: '#file', text: message }],
});

/**
 * The import service's refusal, said on the page: every problem of a bad file (nothing imported), or what the
 * user's role may not import. Anything else is not the file's fault: null.
 */
export function importRefusal(error: unknown): ImportRefusal | null {
  if (!(error instanceof DomainException)) return null;
  if (error.code === 'invalid' && error.errors.length > 0) {
    const count = error.errors.length;
    return {
      status: 400,
      message: `The file has ${count} problem${count === 1 ? '' : 's'}: nothing was imported. Correct the file and upload it again.`,
      errorList: importErrorList(error.errors),
    };
  }
  if (error.code === 'forbidden') return fileRefusal(sentence(error.message), 403);
  return null;
}

/** What an import did, in sentences. */
export function importOutcomeText(outcome: ImportOutcome) {
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const { recommendations, actions } = outcome;
  const details: string[] = [];
  if (actions.created > 0) details.push(`${count(actions.created, 'action')} added.`);
  if (recommendations.unchanged > 0) {
    details.push(`${count(recommendations.unchanged, 'recommendation')} already in the inspection left as before.`);
  }
  if (actions.unchanged > 0) details.push(`${count(actions.unchanged, 'action')} already there not added again.`);
  return { title: `${count(recommendations.created, 'recommendation')} imported`, details };
}
