/** The media types of the action-plan downloads (the API's and the web pages'). */
export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8';
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An action-plan file's name: "<name>-action-plan-<date>.<extension>", the name as a plain ASCII slug. */
export function actionPlanFileName(name: string, asOfDate: string, extension: 'csv' | 'xlsx'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'export'}-action-plan-${asOfDate}.${extension}`;
}
