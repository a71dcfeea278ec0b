import {
  ActionPlanAction,
  ActionPlanRecommendation,
  Actor,
  FindingView,
  inScope,
  Rag,
  RAGS,
  roleHas,
} from '@rt/domain';
import { ragTag } from '../actions/action.view-model';
import { PRIORITY_LABELS, RECOMMENDATION_STATUS_LABELS } from '../recommendations/recommendation.view-model';

/** How many of the actions are red, amber, green and complete (cancelled actions are not rated). */
export function ragCounts(actions: readonly ActionPlanAction[]): Record<Rag, number> {
  const counts = { red: 0, amber: 0, green: 0, complete: 0 };
  for (const a of actions) if (a.rag) counts[a.rag]++;
  return counts;
}

/** The RAG tags worth showing for a recommendation: one per rating that some action has, e.g. "2 Red". */
export function ragSummary(actions: readonly ActionPlanAction[]) {
  const counts = ragCounts(actions);
  return RAGS.filter((rag) => counts[rag] > 0).map((rag) => {
    const tag = ragTag(rag);
    return { text: `${counts[rag]} ${tag.text.toLowerCase()}`, classes: tag.classes };
  });
}

/** One row of the inspection's recommendations table, or one section of the printable plan. */
export function recommendationRow(recommendation: ActionPlanRecommendation) {
  return {
    ...recommendation,
    priorityLabel: PRIORITY_LABELS[recommendation.priority],
    statusLabel: RECOMMENDATION_STATUS_LABELS[recommendation.status],
    rag: ragSummary(recommendation.actions),
    actions: recommendation.actions.map((a) => ({ ...a, ragTag: ragTag(a.rag) })),
  };
}

/** The report's findings, strengths and concerns apart, each with the references of the recommendations it led to. */
export function findingLists(findings: readonly FindingView[], references: ReadonlyMap<string, string>) {
  const item = (f: FindingView) => ({
    text: f.text,
    recommendations: f.recommendationIds.flatMap((id) => {
      const reference = references.get(id);
      return reference ? [{ id, reference }] : [];
    }),
  });
  return {
    strengths: findings.filter((f) => f.kind === 'strength').map(item),
    concerns: findings.filter((f) => f.kind === 'concern').map(item),
  };
}

/** A report link only if it is a web address (the API accepts nothing else; a page never links to script). */
export const reportHref = (url: string | null): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

/**
 * Who may import recommendations into an inspection: InspectionsService.getForWrite's rule (the inspected
 * organisation in scope) for a role that may write recommendations, as the JSON API's import route requires.
 */
export const mayImport = (actor: Actor, inspectedOrganisationId: string) =>
  roleHas(actor.role, 'recommendations:write') && inScope(actor, inspectedOrganisationId);
