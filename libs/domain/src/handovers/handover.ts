import { FieldError } from '../shared/domain.exception';
import { RecommendationStatus } from '../recommendations/recommendation';

export const HANDOVER_KINDS = ['split', 'merge', 'rename'] as const;
export type HandoverKind = (typeof HANDOVER_KINDS)[number];

/** Recommendations in these states are closed: they stay with the predecessor. */
export const CLOSED_RECOMMENDATION_STATUSES: readonly RecommendationStatus[] = ['verified', 'not_accepted'];

export interface HandoverAllocation {
  recommendationId: string;
  toOrganisationId: string;
}

export interface HandoverInput {
  fromOrganisationIds: string[];
  effectiveOn: string;
  kind: HandoverKind;
  allocations: HandoverAllocation[];
  /** Where every open recommendation not allocated explicitly goes. */
  defaultToOrganisationId?: string | null;
  /** Mark the predecessors dissolved on effectiveOn (they also get the successors as successor links). */
  dissolvePredecessors?: boolean;
}

export interface HandoverMoveView {
  recommendationId: string;
  reference: string;
  inspectionId: string;
  fromOrganisationId: string;
  toOrganisationId: string;
  /** Actions that moved with it. */
  actions: number;
}

/** An open action whose owner does not belong to its new organisation: the successor's managers re-assign it. */
export interface UnassignedActionView {
  actionId: string;
  recommendationId: string;
  title: string;
  organisationId: string;
  previousOwner: { id: string; name: string };
}

/** A closed recommendation of a predecessor: not moved. */
export interface StayingRecommendationView {
  recommendationId: string;
  reference: string;
  organisationId: string;
  status: RecommendationStatus;
}

export interface HandoverSummaryView {
  id: string;
  kind: HandoverKind;
  effectiveOn: string;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  predecessorIds: string[];
  successorIds: string[];
  dissolvedPredecessors: boolean;
  recommendationsMoved: number;
  actionsMoved: number;
}

export interface HandoverView extends HandoverSummaryView {
  moves: HandoverMoveView[];
  unassigned: UnassignedActionView[];
  staying: StayingRecommendationView[];
}

/** A dry run's answer: what would move, and what would refuse it. Nothing is changed. */
export interface HandoverPlanView {
  dryRun: true;
  /** True when the hand-over would go through as asked. */
  ok: boolean;
  problems: (FieldError & { rule: string })[];
  kind: HandoverKind;
  effectiveOn: string;
  predecessorIds: string[];
  successorIds: string[];
  dissolvePredecessors: boolean;
  moves: HandoverMoveView[];
  actionsMoved: number;
  unassigned: UnassignedActionView[];
  staying: StayingRecommendationView[];
  /** Open recommendations neither allocated nor covered by defaultToOrganisationId. */
  unallocated: { recommendationId: string; reference: string; organisationId: string }[];
}

export interface HandoverFilter {
  /** Hand-overs this organisation took part in, as predecessor or successor. */
  organisationId?: string;
}
