import { AMBER_PROGRESS, AMBER_WINDOW_DAYS } from '../actions/action';
import { DAY_ZERO, ROLLUP_WINDOW_DAYS } from './rollup';

/** The figure columns every cell table shares, in order. */
export const FIGURE_COLUMNS = [
  'not_started',
  'in_progress',
  'blocked',
  'completed',
  'verified',
  'cancelled',
  'redated',
  'slippage_days',
  'rec_not_started',
  'rec_in_progress',
  'rec_implemented',
  'rec_verified',
  'rec_not_accepted',
  'overdue',
  'nsip_overdue',
  'amber',
  'median_days_overdue',
  'overdue_hist',
] as const;

export const KEY_COLUMNS = ['grain', 'organisation_id', 'key', 'inspection_id', 'theme', 'recommendation_id'] as const;

/**
 * The columns a read needs, camel-cased for RollupCell (histograms as text: parsed only when needed). `dueWindow`
 * may be the SQL of today's date: the window is then fetched only for cells of an earlier day, the only ones that
 * use it.
 */
export const CELL_READ_COLUMNS = (alias: string, withDetail: boolean, dueWindow: boolean | string = true) =>
  `${alias}.as_of_date AS "asOfDate", ${alias}.not_started AS "notStarted", ${alias}.in_progress AS "inProgress",
   ${alias}.blocked, ${alias}.completed, ${alias}.verified, ${alias}.cancelled, ${alias}.redated,
   ${alias}.slippage_days AS "slippageDays", ${alias}.rec_not_started AS "recNotStarted",
   ${alias}.rec_in_progress AS "recInProgress", ${alias}.rec_implemented AS "recImplemented",
   ${alias}.rec_verified AS "recVerified", ${alias}.rec_not_accepted AS "recNotAccepted", ${alias}.overdue,
   ${alias}.nsip_overdue AS "nsipOverdue", ${alias}.amber, ${alias}.median_days_overdue AS "medianDaysOverdue",
   ${withDetail ? `${alias}.overdue_hist::text` : 'NULL::text'} AS "overdueHist",
   ${
     !withDetail || dueWindow === false
       ? 'NULL::text'
       : dueWindow === true
         ? `${alias}.due_window::text`
         : `CASE WHEN ${alias}.as_of_date <> ${dueWindow} THEN ${alias}.due_window::text END`
   } AS "dueWindow"`;

const OPEN = `IN ('not_started', 'in_progress', 'blocked')`;
const NSIP = `IN ('not_started', 'in_progress')`;
const SETS = (extra: string) =>
  `GROUPING SETS ((org${extra}), (org, theme${extra}), (org, insp${extra}), (org, insp, theme${extra}),
    (org, insp, theme, rec${extra}))`;
/** GROUPING(insp, theme, rec) of each set above: 7 organisation, 5 theme, 3 inspection, 1 both, 0 recommendation. */
const CELL_KEY = `
  CASE GROUPING(insp, theme, rec) WHEN 7 THEN 'organisation' WHEN 5 THEN 'theme' WHEN 3 THEN 'inspection'
    WHEN 1 THEN 'inspection_theme' ELSE 'recommendation' END AS grain,
  CASE GROUPING(insp, theme, rec) WHEN 7 THEN org::text WHEN 5 THEN theme WHEN 3 THEN insp::text
    WHEN 1 THEN insp::text || ':' || theme ELSE rec::text END AS key`;

/**
 * Every cell of the organisations chosen, computed from source for the London date $1. With `organisations`
 * true (or 'one', for a single organisation), $2 is the uuid[] of organisations; otherwise every organisation. One pass over the actions (grouping sets),
 * one over the recommendations. Answers the key columns, as_of_date, the figure columns and due_window.
 */
export function computeCellsSql(organisations: boolean | 'one'): string {
  const actionOrgs = organisations ? `a.organisation_id = ANY($2::uuid[])` : 'TRUE';
  const recOrgs = organisations ? `r.owner_organisation_id = ANY($2::uuid[])` : 'TRUE';
  // For one organisation, look each action's recommendation up by id (OFFSET 0 keeps it a nested loop): left to
  // itself, estimating ~1,000 actions, the planner scans every recommendation in parallel (measured: three
  // quarters of a one-organisation refresh). For many, that scan and a hash join is the right plan.
  const recommendation =
    organisations === 'one'
      ? `CROSS JOIN LATERAL (SELECT r.theme FROM recommendations r WHERE r.id = a.recommendation_id OFFSET 0) r`
      : `JOIN recommendations r ON r.id = a.recommendation_id`;
  return `
  WITH src AS (
    SELECT a.organisation_id AS org, a.inspection_id AS insp, r.theme, a.recommendation_id AS rec, a.status,
      a.progress, a.due_date, a.original_due_date
    FROM actions a ${recommendation}
    WHERE ${actionOrgs}
  ), figs AS (
    SELECT org, insp, theme, rec, ${CELL_KEY},
      count(*) FILTER (WHERE status = 'not_started')::int AS not_started,
      count(*) FILTER (WHERE status = 'in_progress')::int AS in_progress,
      count(*) FILTER (WHERE status = 'blocked')::int AS blocked,
      count(*) FILTER (WHERE status = 'completed')::int AS completed,
      count(*) FILTER (WHERE status = 'verified')::int AS verified,
      count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
      count(*) FILTER (WHERE status <> 'cancelled' AND due_date <> original_due_date)::int AS redated,
      coalesce(sum(due_date - original_due_date) FILTER (WHERE status <> 'cancelled'), 0)::int AS slippage_days,
      count(*) FILTER (WHERE status ${OPEN} AND due_date < $1::date)::int AS overdue,
      count(*) FILTER (WHERE status ${NSIP} AND due_date < $1::date)::int AS nsip_overdue,
      count(*) FILTER (WHERE status ${NSIP} AND due_date >= $1::date AND due_date <= $1::date + ${AMBER_WINDOW_DAYS}
        AND progress < ${AMBER_PROGRESS})::int AS amber,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY $1::date - due_date)
        FILTER (WHERE status ${OPEN} AND due_date < $1::date) AS median_days_overdue
    FROM src GROUP BY ${SETS('')}
  ), due AS (
    SELECT org, insp, theme, rec, due_date,
      count(*) FILTER (WHERE status ${NSIP})::int AS nsip,
      count(*) FILTER (WHERE status = 'blocked')::int AS blocked,
      count(*) FILTER (WHERE status ${NSIP} AND progress < ${AMBER_PROGRESS})::int AS low
    FROM src
    WHERE status ${OPEN} AND due_date <= $1::date + ${ROLLUP_WINDOW_DAYS + AMBER_WINDOW_DAYS}
    GROUP BY org, insp, theme, rec, due_date
  ), due_cells AS (
    SELECT org, ${CELL_KEY}, due_date, sum(nsip)::int AS nsip, sum(blocked)::int AS blocked, sum(low)::int AS low
    FROM due GROUP BY ${SETS(', due_date')}
  ), hists AS (
    SELECT org, grain, key,
      jsonb_agg(jsonb_build_array(due_date - DATE '${DAY_ZERO}', nsip + blocked) ORDER BY due_date)
        FILTER (WHERE due_date < $1::date) AS overdue_hist,
      jsonb_agg(jsonb_build_array(due_date - DATE '${DAY_ZERO}', nsip, blocked, low) ORDER BY due_date)
        FILTER (WHERE due_date >= $1::date) AS due_window
    FROM due_cells GROUP BY org, grain, key
  ), rec_status AS (
    SELECT r.owner_organisation_id AS org, r.inspection_id AS insp, r.theme, r.id AS rec,
      CASE WHEN r.response = 'not_accepted' THEN 'not_accepted'
        WHEN coalesce(c.total, 0) = 0 THEN 'not_started'
        WHEN c.verified = c.total THEN 'verified'
        WHEN c.completed + c.verified = c.total THEN 'implemented'
        WHEN c.not_started = c.total THEN 'not_started'
        ELSE 'in_progress' END AS status
    FROM recommendations r
    LEFT JOIN (
      SELECT a.recommendation_id,
        count(*) FILTER (WHERE a.status <> 'cancelled') AS total,
        count(*) FILTER (WHERE a.status = 'not_started') AS not_started,
        count(*) FILTER (WHERE a.status = 'completed') AS completed,
        count(*) FILTER (WHERE a.status = 'verified') AS verified
      FROM actions a JOIN recommendations r ON r.id = a.recommendation_id
      WHERE ${recOrgs}
      GROUP BY a.recommendation_id
    ) c ON c.recommendation_id = r.id
    WHERE ${recOrgs}
  ), recs AS (
    SELECT org, insp, theme, rec, ${CELL_KEY},
      count(*) FILTER (WHERE status = 'not_started')::int AS rec_not_started,
      count(*) FILTER (WHERE status = 'in_progress')::int AS rec_in_progress,
      count(*) FILTER (WHERE status = 'implemented')::int AS rec_implemented,
      count(*) FILTER (WHERE status = 'verified')::int AS rec_verified,
      count(*) FILTER (WHERE status = 'not_accepted')::int AS rec_not_accepted
    FROM rec_status GROUP BY ${SETS('')}
  )
  SELECT coalesce(f.grain, rc.grain) AS grain, coalesce(f.org, rc.org) AS organisation_id,
    coalesce(f.key, rc.key) AS key, coalesce(f.insp, rc.insp) AS inspection_id, coalesce(f.theme, rc.theme) AS theme,
    coalesce(f.rec, rc.rec) AS recommendation_id, $1::date AS as_of_date,
    coalesce(f.not_started, 0) AS not_started, coalesce(f.in_progress, 0) AS in_progress,
    coalesce(f.blocked, 0) AS blocked, coalesce(f.completed, 0) AS completed, coalesce(f.verified, 0) AS verified,
    coalesce(f.cancelled, 0) AS cancelled, coalesce(f.redated, 0) AS redated,
    coalesce(f.slippage_days, 0) AS slippage_days,
    coalesce(rc.rec_not_started, 0) AS rec_not_started, coalesce(rc.rec_in_progress, 0) AS rec_in_progress,
    coalesce(rc.rec_implemented, 0) AS rec_implemented, coalesce(rc.rec_verified, 0) AS rec_verified,
    coalesce(rc.rec_not_accepted, 0) AS rec_not_accepted,
    coalesce(f.overdue, 0) AS overdue, coalesce(f.nsip_overdue, 0) AS nsip_overdue, coalesce(f.amber, 0) AS amber,
    f.median_days_overdue::numeric AS median_days_overdue, h.overdue_hist, h.due_window
  FROM figs f
  FULL JOIN recs rc ON rc.org = f.org AND rc.grain = f.grain AND rc.key = f.key
  LEFT JOIN hists h ON h.org = coalesce(f.org, rc.org) AND h.grain = coalesce(f.grain, rc.grain)
    AND h.key = coalesce(f.key, rc.key)`;
}
