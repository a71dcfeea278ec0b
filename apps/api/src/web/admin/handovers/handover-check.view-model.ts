import { HandoverPlanView } from '@rt/domain';
import { ErrorSummaryItem } from '../../error-summary';
import { LABELS } from '../admin-labels';
import { HandoverWizardState } from './handover-wizard';

/**
 * The "Check the hand-over" page: the answers, what the service's dry run says would move (per successor, what
 * loses its owner, what stays), and its problems as an error summary linking to the step that fixes each.
 */
export function handoverCheckView(state: HandoverWizardState, plan: HandoverPlanView, names: Map<string, string>) {
  const name = (id: string) => names.get(id) ?? id;
  const errorList: ErrorSummaryItem[] = plan.problems.map((p) => ({
    href: p.rule.startsWith('successor') ? '/admin/handovers/new/successors' : '/admin/handovers/new/allocations',
    text: p.message.charAt(0).toUpperCase() + p.message.slice(1),
  }));
  return {
    wizardId: state.id,
    answers: {
      predecessors: state.fromOrganisationIds.map(name),
      effectiveOn: state.effectiveOn,
      kind: LABELS.handoverKind[state.kind],
      dissolve: state.dissolvePredecessors,
      successors: state.successorIds.map(name),
    },
    bySuccessor: state.successorIds.map((id) => ({
      name: name(id),
      references: plan.moves.filter((m) => m.toOrganisationId === id).map((m) => m.reference),
    })),
    plan,
    unassigned: plan.unassigned.map((u) => ({ ...u, organisationName: name(u.organisationId) })),
    staying: plan.staying.map((s) => ({
      ...s,
      organisationName: name(s.organisationId),
      statusLabel: LABELS.recommendationStatus[s.status] ?? s.status,
    })),
    errorList,
  };
}
