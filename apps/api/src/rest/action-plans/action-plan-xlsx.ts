import { ActionPlanRow } from '@rt/domain';
import { EXPORT_COLUMNS, EXPORT_DATE_COLUMNS } from './action-plan-csv';

const WIDE = new Set<keyof ActionPlanRow>(['text', 'responseRationale', 'actionDescription', 'latestUpdateComment']);

/**
 * The action plan as a workbook: the CSV's columns and rows, dates as dates, numbers as numbers. Text is written as
 * text cells, which a spreadsheet never evaluates, so nothing needs escaping against formulas.
 */
export async function actionPlanXlsx(rows: readonly ActionPlanRow[], title: string): Promise<Buffer> {
  // Loaded on the first export, not at start-up: exceljs and its zip libraries are about a fifth of the API's
  // modules, and most processes never write a workbook.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Recommendation Tracker';
  workbook.title = title;
  const sheet = workbook.addWorksheet('Action plan', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((key) => ({
    header: key,
    key,
    width: WIDE.has(key) ? 60 : EXPORT_DATE_COLUMNS.includes(key) ? 12 : 20,
    style: EXPORT_DATE_COLUMNS.includes(key)
      ? { numFmt: 'yyyy-mm-dd' }
      : WIDE.has(key)
        ? { alignment: { wrapText: true, vertical: 'top' } }
        : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow(
      Object.fromEntries(
        EXPORT_COLUMNS.map((key) => {
          const value = row[key];
          if (value !== null && EXPORT_DATE_COLUMNS.includes(key)) return [key, new Date(`${value}T00:00:00Z`)];
          return [key, value];
        }),
      ),
    );
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: EXPORT_COLUMNS.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
