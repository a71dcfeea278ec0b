import { ActionStatus, Rag } from '../actions/action';
import { RecommendationStatus } from '../recommendations/recommendation';

/** What a roll-up can be grouped by, as the API names it. */
export const ROLLUP_GROUP_BYS = ['organisation', 'inspection', 'recommendation', 'theme', 'region'] as const;
export type RollupGroupBy = (typeof ROLLUP_GROUP_BYS)[number];

/**
 * The stored cells: per organisation, the organisation itself, each theme, inspection, inspection × theme and
 * recommendation. A read picks the coarsest grain that carries its grouping and filters.
 */
export const ROLLUP_GRAINS = ['organisation', 'theme', 'inspection', 'inspection_theme', 'recommendation'] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

/** Days after a cell's as_of_date that its stored due-date window still answers exactly. */
export const ROLLUP_WINDOW_DAYS = 7;

/**
 * Whose figures handed-over work counts in: `now`, its current owner (the successor); `then`, the organisation it
 * was first handed over from, as that organisation was before the restructuring (organisation roll-ups only).
 */
export const ROLLUP_ATTRIBUTIONS = ['now', 'then'] as const;
export type RollupAttribution = (typeof ROLLUP_ATTRIBUTIONS)[number];

export interface RollupFilter {
  organisationId?: string;
  inspectionId?: string;
  theme?: string;
  region?: string;
  attribution?: RollupAttribution;
}

/** The figures of one group, with the names of a recommendation's `progress` object. */
export interface RollupFigures {
  /** Actions, cancelled ones left out. */
  total: number;
  /** Completed and awaiting verification. */
  completed: number;
  verified: number;
  overdue: number;
  /** (completed + verified) / total, floored. */
  percentComplete: number;
  byStatus: Record<ActionStatus, number>;
  byRag: Record<Rag, number>;
  /** verified / total, floored. */
  percentVerified: number;
  /** The median, over overdue actions, of the days each is overdue; null when none is. */
  medianDaysOverdue: number | null;
  /** Sum over re-dated actions (not cancelled) of current minus original due date, in days. */
  slippageDays: number;
  redatedCount: number;
  recommendationsByStatus: Record<RecommendationStatus, number>;
}

export interface RollupItem extends RollupFigures {
  key: string;
  name: string;
}

export interface RollupList {
  /** Every change committed before this instant is in the figures. */
  asOf: string;
  /** The London date overdue and RAG are worked out for. */
  date: string;
  items: RollupItem[];
  nextCursor: string | null;
}

export interface RollupPortfolio extends RollupFigures {
  asOf: string;
  date: string;
  organisations: number;
}

export interface RollupTrendPoint extends RollupFigures {
  date: string;
}

export interface RollupTrend {
  groupBy: RollupGroupBy;
  key: string;
  name: string | null;
  points: RollupTrendPoint[];
}

/** One cell as stored: counts that do not depend on the date, and those worked out for `asOfDate`. */
export interface RollupCell {
  asOfDate: string;
  notStarted: number;
  inProgress: number;
  blocked: number;
  completed: number;
  verified: number;
  cancelled: number;
  redated: number;
  slippageDays: number;
  recNotStarted: number;
  recInProgress: number;
  recImplemented: number;
  recVerified: number;
  recNotAccepted: number;
  /** Open actions due before asOfDate. */
  overdue: number;
  /** Not started or in progress, due before asOfDate (red; blocked ones are red whatever their date). */
  nsipOverdue: number;
  /** Not started or in progress, progress under 50, due from asOfDate to 14 days after. */
  amber: number;
  medianDaysOverdue: number | null;
  /** [due day number, open actions] for each due date before asOfDate; JSON text, parsed only when needed. */
  overdueHist: string | null;
  /** [due day number, not started or in progress, blocked, of those low progress] for due dates from asOfDate. */
  dueWindow: string | null;
}

/** Day numbers in the histograms count from 2000-01-01. */
export const DAY_ZERO = '2000-01-01';
