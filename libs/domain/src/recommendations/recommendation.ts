export const THEMES = {
  risk_of_harm: 'Risk of harm to others',
  likelihood_of_reoffending: 'Likelihood of reoffending',
  protecting_children: 'Protecting children and young people',
  sentence_delivery: 'Delivering the sentence of the court',
  courts_and_victims: 'Courts and victims',
  leadership_and_partnerships: 'Leadership and partnerships',
} as const;
export type Theme = keyof typeof THEMES;
export const THEME_KEYS = Object.keys(THEMES) as Theme[];

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const RESPONSES = ['pending', 'accepted', 'partially_accepted', 'not_accepted'] as const;
export type RecommendationResponse = (typeof RESPONSES)[number];

/** `report`: named in the published report; `derived`: drawn from a concern the report raised. */
export const RECOMMENDATION_SOURCES = ['report', 'derived'] as const;
export type RecommendationSource = (typeof RECOMMENDATION_SOURCES)[number];

export const RECOMMENDATION_STATUSES = [
  'not_started',
  'in_progress',
  'implemented',
  'verified',
  'not_accepted',
] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];

/** Counts over a recommendation's actions, cancelled ones left out. */
export interface ActionCounts {
  total: number;
  notStarted: number;
  completed: number;
  verified: number;
  overdue: number;
}

export interface RecommendationProgress {
  total: number;
  completed: number;
  verified: number;
  overdue: number;
  percentComplete: number;
}

export interface RecommendationView {
  id: string;
  inspectionId: string;
  reference: string;
  text: string;
  theme: Theme;
  priority: Priority;
  source: RecommendationSource;
  ownerOrganisationId: string;
  response: RecommendationResponse;
  responseRationale: string | null;
  targetDate: string | null;
  status: RecommendationStatus;
  progress: RecommendationProgress;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CreateRecommendationInput {
  reference: string;
  text: string;
  theme: Theme;
  priority: Priority;
  source?: RecommendationSource;
  ownerOrganisationId?: string;
  response?: RecommendationResponse;
  responseRationale?: string | null;
  targetDate?: string | null;
}

export type UpdateRecommendationInput = Partial<CreateRecommendationInput>;

export interface RecommendationUpdateView {
  id: string;
  recommendationId: string;
  kind: 'created' | 'updated' | 'handover';
  actor: { id: string; name: string } | null;
  at: string;
  changes: { field: string; from: unknown; to: unknown }[];
  comment: string | null;
  /** The hand-over that wrote this entry (kind `handover`), else null. */
  handoverId: string | null;
}
