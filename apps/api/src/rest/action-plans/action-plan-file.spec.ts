import { actionPlanFileName } from './action-plan-file';

describe('the action-plan file name', () => {
  it('is a plain ASCII slug of the name, "action-plan" and the date', () => {
    expect(actionPlanFileName('Inspection of Kent Probation Trust (2014)', '2026-03-02', 'csv')).toBe(
      'inspection-of-kent-probation-trust-2014-action-plan-2026-03-02.csv',
    );
    expect(actionPlanFileName('Ynys Môn “Review”', '2026-03-02', 'xlsx')).toBe(
      'ynys-mon-review-action-plan-2026-03-02.xlsx',
    );
    expect(actionPlanFileName('***', '2026-03-02', 'csv')).toBe('export-action-plan-2026-03-02.csv');
  });
});
