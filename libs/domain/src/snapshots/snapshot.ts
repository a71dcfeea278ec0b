import { ActionStatus, Rag } from '../actions/action';
import { RollupFigures, RollupGroupBy, RollupItem } from '../rollups/rollup';

export interface SnapshotSummary {
  id: string;
  name: string;
  takenAt: string;
  /** The London date overdue and RAG were worked out for. */
  asOfDate: string;
  takenBy: { id: string; name: string } | null;
  trigger: 'manual' | 'schedule';
}

export interface SnapshotView extends SnapshotSummary {
  groupBy: RollupGroupBy;
  /** The caller's whole scope, as frozen. */
  portfolio: RollupFigures;
  items: RollupItem[];
}

export interface SnapshotActionChange {
  actionId: string;
  title: string;
  organisationId: string;
  recommendationId: string;
  from: { status: ActionStatus; rag: Rag | null; dueDate: string; daysOverdue: number } | null;
  to: { status: ActionStatus; rag: Rag | null; dueDate: string; daysOverdue: number };
}

export interface SnapshotDiffSection {
  count: number;
  /** At most DIFF_LIMIT actions, by organisation and due date. */
  items: SnapshotActionChange[];
}

export interface SnapshotDiff {
  from: SnapshotSummary;
  to: SnapshotSummary;
  /** In `to` but not in `from`. */
  new: SnapshotDiffSection;
  /** Open (or absent) in `from`, completed or verified in `to`. */
  completed: SnapshotDiffSection;
  /** Due later in `to` than in `from`. */
  slipped: SnapshotDiffSection;
  /** Overdue in `to`, not overdue (or absent) in `from`. */
  newlyOverdue: SnapshotDiffSection;
}

export const DIFF_LIMIT = 500;
