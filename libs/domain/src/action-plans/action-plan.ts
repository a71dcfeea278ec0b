import { ActionStatus, Rag } from '../actions/action';
import {
  CreateRecommendationInput,
  Priority,
  RecommendationProgress,
  RecommendationResponse,
  RecommendationSource,
  RecommendationStatus,
  Theme,
} from '../recommendations/recommendation';

/** How an action plan words the inspected body's response (the format sent to HMI Probation). */
export const RESPONSE_WORDING: Record<RecommendationResponse, string> = {
  pending: 'Awaiting response',
  accepted: 'Agreed',
  partially_accepted: 'Partly agreed',
  not_accepted: 'Not agreed',
};

// ---- Import ---------------------------------------------------------------------------------------------------

/**
 * A problem with one cell (or row) of an imported file. Rows are numbered as a spreadsheet shows them: the header
 * is row 1, the first recommendation row 2. Columns are named as in the file's header: a recommendation's field
 * names (`reference`, `theme`, `responseRationale`…), an action's prefixed with `action` (`actionTitle`,
 * `actionOwnerEmail`, `actionDueDate`…).
 */
export interface ImportRowError {
  /** Null for a problem with the whole file (e.g. not UTF-8). */
  row: number | null;
  /** Null for a problem with a whole row (e.g. too many cells). */
  column: string | null;
  message: string;
}

export interface ImportedAction {
  row: number;
  title: string;
  description: string | null;
  /** Resolved against the users of the organisation that owns the recommendation; null leaves it unassigned. */
  ownerEmail: string | null;
  dueDate: string;
}

/** One recommendation of the file with its actions, already checked field by field. */
export interface ImportedRecommendation {
  /** The first row naming this reference. */
  row: number;
  input: CreateRecommendationInput;
  actions: ImportedAction[];
}

/** What was read from the file: the recommendations that could be read, and the problems found reading it. */
export interface ImportFile {
  recommendations: ImportedRecommendation[];
  errors: ImportRowError[];
}

export interface ImportOutcome {
  dryRun: boolean;
  recommendations: { created: number; unchanged: number };
  actions: { created: number; unchanged: number };
  items: { row: number; reference: string; recommendationId: string | null; outcome: 'created' | 'unchanged' }[];
}

// ---- Export ---------------------------------------------------------------------------------------------------

/**
 * One row of an exported action plan: one action with its recommendation, or a recommendation without actions
 * (action fields null). The keys are the export's column names; the import reads the ones it knows.
 */
export interface ActionPlanRow {
  organisation: string;
  inspection: string;
  reference: string;
  text: string;
  theme: Theme;
  priority: Priority;
  source: RecommendationSource;
  targetDate: string | null;
  response: RecommendationResponse;
  responseRationale: string | null;
  recommendationStatus: RecommendationStatus;
  actionTitle: string | null;
  actionDescription: string | null;
  actionOwnerName: string | null;
  actionOwnerEmail: string | null;
  actionDueDate: string | null;
  actionOriginalDueDate: string | null;
  actionStatus: ActionStatus | null;
  actionProgress: number | null;
  actionRag: Rag | null;
  actionDaysOverdue: number | null;
  latestUpdateAt: string | null;
  latestUpdateBy: string | null;
  latestUpdateComment: string | null;
}

export type ActionPlanSource =
  { kind: 'inspection'; id: string } | { kind: 'organisation'; id: string } | { kind: 'snapshot'; id: string };

export interface ActionPlanExport {
  /** What the rows are of, for a file name: the inspection's title, the organisation's or the snapshot's name. */
  name: string;
  /** The London date status, RAG and days overdue were worked out for (a snapshot's own date). */
  asOfDate: string;
  rows: ActionPlanRow[];
}

export interface ActionPlanLatestUpdate {
  at: string;
  by: { id: string; name: string } | null;
  comment: string | null;
}

export interface ActionPlanAction {
  id: string;
  title: string;
  description: string | null;
  owner: { id: string; name: string; email: string } | null;
  dueDate: string;
  originalDueDate: string;
  status: ActionStatus;
  progress: number;
  rag: Rag | null;
  overdue: boolean;
  daysOverdue: number;
  completedAt: string | null;
  verifiedAt: string | null;
  latestUpdate: ActionPlanLatestUpdate | null;
}

export interface ActionPlanRecommendation {
  id: string;
  reference: string;
  text: string;
  theme: Theme;
  themeName: string;
  priority: Priority;
  source: RecommendationSource;
  ownerOrganisation: { id: string; name: string };
  response: RecommendationResponse;
  /** Agreed / Partly agreed / Not agreed / Awaiting response. */
  responseWording: string;
  responseRationale: string | null;
  targetDate: string | null;
  status: RecommendationStatus;
  progress: RecommendationProgress;
  actions: ActionPlanAction[];
}

/** An inspection's action plan as the inspected body sends it to the inspectorate: the data of the printable page. */
export interface ActionPlanView {
  inspection: {
    id: string;
    title: string;
    programme: string | null;
    publishedOn: string;
    publishedOnApproximate: boolean;
    reportUrl: string | null;
    organisation: { id: string; name: string };
    inspectorate: { id: string; name: string };
  };
  asOfDate: string;
  recommendations: ActionPlanRecommendation[];
}
