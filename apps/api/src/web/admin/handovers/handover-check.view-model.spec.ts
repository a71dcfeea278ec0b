import { HandoverPlanView } from '@rt/domain';
import { handoverCheckView } from './handover-check.view-model';
import { HandoverWizardState } from './handover-wizard';

const state: HandoverWizardState = {
  id: 'w',
  fromOrganisationIds: ['kent'],
  effectiveOn: '2014-06-01',
  kind: 'split',
  dissolvePredecessors: true,
  successorIds: ['nps', 'crc'],
  allocations: {},
};
const move = (reference: string, toOrganisationId: string) => ({
  recommendationId: reference,
  reference,
  inspectionId: 'i',
  fromOrganisationId: 'kent',
  toOrganisationId,
  actions: 1,
});
const plan = {
  ok: false,
  problems: [
    {
      field: 'allocations[0].toOrganisationId',
      rule: 'successor-active',
      message: 'CRC is dissolved: it cannot take work over',
    },
    { field: 'allocations', rule: 'open-recommendations-allocated', message: 'R3 of Kent is open and not allocated' },
  ],
  moves: [move('R1', 'nps'), move('R2', 'nps')],
  unassigned: [
    {
      actionId: 'a',
      recommendationId: 'R1',
      title: 'Audit',
      organisationId: 'nps',
      previousOwner: { id: 'u', name: 'Head' },
    },
  ],
  staying: [{ recommendationId: 'R4', reference: 'R4', organisationId: 'kent', status: 'verified' }],
} as unknown as HandoverPlanView;
const names = new Map([
  ['kent', 'Kent Probation Trust'],
  ['nps', 'NPS South East'],
  ['crc', 'KSS CRC'],
]);

describe('the "Check the hand-over" page', () => {
  it('names the organisations and groups what would move by successor', () => {
    const view = handoverCheckView(state, plan, names);
    expect(view.answers).toEqual({
      predecessors: ['Kent Probation Trust'],
      effectiveOn: '2014-06-01',
      kind: 'Split',
      dissolve: true,
      successors: ['NPS South East', 'KSS CRC'],
    });
    expect(view.bySuccessor).toEqual([
      { name: 'NPS South East', references: ['R1', 'R2'] },
      { name: 'KSS CRC', references: [] },
    ]);
    expect(view.unassigned[0].organisationName).toBe('NPS South East');
    expect(view.staying[0]).toMatchObject({ organisationName: 'Kent Probation Trust', statusLabel: 'Verified' });
  });

  it('links each problem to the step that fixes it', () => {
    expect(handoverCheckView(state, plan, names).errorList).toEqual([
      { href: '/admin/handovers/new/successors', text: 'CRC is dissolved: it cannot take work over' },
      { href: '/admin/handovers/new/allocations', text: 'R3 of Kent is open and not allocated' },
    ]);
  });
});
