import { ActionPlanAction, ActionState, RecommendationView } from '@rt/domain';
import { actionRow, mayAssign, recommendationDetails } from './recommendation.view-model';

const open: ActionState = {
  title: 'Train staff',
  description: null,
  ownerId: 'owner-1',
  dueDate: '2026-05-01',
  status: 'in_progress',
  progress: 20,
  evidence: null,
};

describe('who may give an action a new owner (the domain’s own planner decides)', () => {
  it.each([
    ['admin', 'in_progress', true],
    ['senior_manager', 'not_started', true],
    ['senior_manager', 'completed', true],
    ['senior_manager', 'verified', false],
    ['senior_manager', 'cancelled', false],
    ['performance_manager', 'in_progress', false],
    ['viewer', 'in_progress', false],
  ] as const)('%s, %s action: %s', (role, status, allowed) => {
    expect(mayAssign(role, { ...open, status })).toBe(allowed);
  });

  it('lets an unassigned action be given an owner', () => {
    expect(mayAssign('senior_manager', { ...open, ownerId: null })).toBe(true);
  });
});

describe('the recommendation in words', () => {
  it('words the response as the action plan does, and the theme, priority and status', () => {
    const recommendation = {
      theme: 'protecting_children',
      priority: 'medium',
      response: 'partially_accepted',
      status: 'implemented',
    } as RecommendationView;
    expect(recommendationDetails(recommendation, 'Kent Probation Trust')).toMatchObject({
      themeLabel: 'Protecting children and young people',
      priorityLabel: 'Medium',
      responseLabel: 'Partly agreed',
      statusLabel: 'Implemented',
      organisationName: 'Kent Probation Trust',
    });
    expect(recommendationDetails({ ...recommendation, response: 'pending' }, '').responseLabel).toBe(
      'Awaiting response',
    );
  });
});

describe('a row of the actions table', () => {
  const action = {
    id: 'a1',
    title: 'Train staff',
    description: null,
    owner: null,
    dueDate: '2026-02-20',
    status: 'not_started',
    progress: 0,
    rag: 'red',
    overdue: true,
    daysOverdue: 10,
  } as unknown as ActionPlanAction;

  it('names the owner (or says there is none), tags the RAG as "Your actions" does, and says if it may be assigned', () => {
    expect(actionRow(action, 'senior_manager')).toMatchObject({
      ownerName: 'Not assigned',
      rag: { text: 'Red', classes: 'govuk-tag--red' },
      canAssign: true,
      daysOverdue: 10,
    });
    expect(actionRow({ ...action, owner: { id: 'u', name: 'Sam', email: 's@x' } }, 'viewer')).toMatchObject({
      ownerName: 'Sam',
      canAssign: false,
    });
    expect(actionRow({ ...action, rag: null, status: 'cancelled' }, 'admin')).toMatchObject({
      rag: { text: 'Not rated' },
      canAssign: false,
    });
  });
});
