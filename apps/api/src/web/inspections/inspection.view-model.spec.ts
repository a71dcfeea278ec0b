import { ActionPlanAction, ActionPlanRecommendation, Actor, FindingView } from '@rt/domain';
import { findingLists, mayImport, ragCounts, ragSummary, recommendationRow, reportHref } from './inspection.view-model';

const action = (rag: ActionPlanAction['rag']) => ({ rag }) as ActionPlanAction;

describe('RAG counts of a recommendation', () => {
  const actions = [action('red'), action('red'), action('green'), action('complete'), action(null)];

  it('counts each rating, leaving cancelled (unrated) actions out', () => {
    expect(ragCounts(actions)).toEqual({ red: 2, amber: 0, green: 1, complete: 1 });
  });

  it('tags only the ratings some action has, in RAG order', () => {
    expect(ragSummary(actions)).toEqual([
      { text: '2 red', classes: 'govuk-tag--red' },
      { text: '1 green', classes: 'govuk-tag--green' },
      { text: '1 complete', classes: 'govuk-tag--blue' },
    ]);
    expect(ragSummary([])).toEqual([]);
  });

  it('goes with the recommendation’s labels and each action’s tag', () => {
    const row = recommendationRow({
      priority: 'low',
      status: 'not_accepted',
      actions: [action('amber')],
    } as ActionPlanRecommendation);
    expect(row).toMatchObject({
      priorityLabel: 'Low',
      statusLabel: 'Not accepted',
      rag: [{ text: '1 amber', classes: 'govuk-tag--orange' }],
      actions: [{ ragTag: { text: 'Amber', classes: 'govuk-tag--orange' } }],
    });
  });
});

describe('the findings', () => {
  it('splits strengths from concerns and names the recommendations each led to (those the user can see)', () => {
    const findings = [
      { kind: 'concern', text: 'Risk plans thin', recommendationIds: ['r1', 'hidden'] },
      { kind: 'strength', text: 'Good reports', recommendationIds: [] },
    ] as unknown as FindingView[];
    expect(findingLists(findings, new Map([['r1', 'R1']]))).toEqual({
      strengths: [{ text: 'Good reports', recommendations: [] }],
      concerns: [{ text: 'Risk plans thin', recommendations: [{ id: 'r1', reference: 'R1' }] }],
    });
  });
});

describe('the report link', () => {
  it('is a web address or nothing', () => {
    expect(reportHref('https://example.org/r')).toBe('https://example.org/r');
    expect(reportHref('javascript:alert(1)')).toBeNull();
    expect(reportHref(null)).toBeNull();
  });
});

describe('who may import recommendations', () => {
  const actor = (role: Actor['role'], organisationId: string | null, portfolio: string[] = []) =>
    ({ role, organisationId, portfolioOrganisationIds: portfolio }) as unknown as Actor;

  it('is a role that writes recommendations, for an inspected organisation in its scope', () => {
    expect(mayImport(actor('admin', null), 'kent')).toBe(true);
    expect(mayImport(actor('performance_manager', null, ['kent']), 'kent')).toBe(true);
    expect(mayImport(actor('performance_manager', null, ['surrey']), 'kent')).toBe(false);
    expect(mayImport(actor('senior_manager', 'kent'), 'kent')).toBe(false);
    expect(mayImport(actor('viewer', 'kent'), 'kent')).toBe(false);
  });
});
