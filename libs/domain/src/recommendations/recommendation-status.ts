import { ActionCounts, RecommendationProgress, RecommendationResponse, RecommendationStatus } from './recommendation';

/** DOMAIN.md's recommendation status, derived from the response and the (non-cancelled) actions. */
export function recommendationStatus(response: RecommendationResponse, counts: ActionCounts): RecommendationStatus {
  if (response === 'not_accepted') return 'not_accepted';
  if (counts.total === 0) return 'not_started';
  if (counts.verified === counts.total) return 'verified';
  if (counts.completed + counts.verified === counts.total) return 'implemented';
  if (counts.notStarted === counts.total) return 'not_started';
  return 'in_progress';
}

export function recommendationProgress(counts: ActionCounts): RecommendationProgress {
  return {
    total: counts.total,
    completed: counts.completed,
    verified: counts.verified,
    overdue: counts.overdue,
    // Floored, so 100 means every action is done.
    percentComplete: counts.total === 0 ? 0 : Math.floor(((counts.completed + counts.verified) * 100) / counts.total),
  };
}
