/**
 * The synthetic national-scale data set, generated in SQL: 1,000 organisations (one inspectorate and 999
 * inspected), 10,000 inspections, 100,000 recommendations, 1,000,000 actions (each owned by a senior manager of
 * its organisation, with its `created` history row), 20,000 users. Keys are real v4 uuids (gen_random_uuid).
 * For reminders (version 2): each inspected organisation's first senior manager is its accountable lead, and its
 * last takes reminders weekly (the rest immediately, the default).
 *
 * Numbering lives in unlogged scratch tables (`b_*`, dropped at the end) so every row finds its parents by index
 * arithmetic instead of random lookups, and the big tables can be filled in slices on parallel connections.
 */
export const DATA_SET = {
  /** Bump when the shape of the data changes, so an old bench database is regenerated. */
  version: 2,
  organisations: 1_000,
  inspectedOrganisations: 999,
  seniorManagersPerOrganisation: 19,
  performanceManagers: 1_018,
  portfolioSize: 10,
  admins: 1,
  inspections: 10_000,
  recommendationsPerInspection: 10,
  actionsPerRecommendation: 10,
} as const;

export const USER_COUNT =
  DATA_SET.inspectedOrganisations * DATA_SET.seniorManagersPerOrganisation +
  DATA_SET.performanceManagers +
  DATA_SET.admins;
export const RECOMMENDATION_COUNT = DATA_SET.inspections * DATA_SET.recommendationsPerInspection;
export const ACTION_COUNT = RECOMMENDATION_COUNT * DATA_SET.actionsPerRecommendation;

/** One password for every generated user; its argon2id hash is computed once and passed as $1. */
export const BENCH_PASSWORD = 'bench-password-national-scale';

const D = DATA_SET;
const REGIONS = `ARRAY['London', 'South East', 'South West', 'East of England', 'West Midlands', 'East Midlands',
  'Yorkshire and the Humber', 'North West', 'North East', 'Wales']`;
const THEMES = `ARRAY['risk_of_harm', 'likelihood_of_reoffending', 'protecting_children', 'sentence_delivery',
  'courts_and_victims', 'leadership_and_partnerships']`;
const ACTION_VERBS = `ARRAY['Deliver refresher training on', 'Audit a sample of cases for', 'Agree a joint protocol on',
  'Introduce management oversight of', 'Publish guidance to staff on', 'Report quarterly to the board on',
  'Review caseload allocation for', 'Commission an independent review of']`;
const ACTION_SUBJECTS = `ARRAY['risk of harm assessments', 'home visits in domestic abuse cases',
  'information sharing with children''s services', 'enforcement of unpaid work', 'victim contact arrangements',
  'sentence planning quality', 'MAPPA referrals', 'accredited programme waiting lists']`;

/** Slices the million-row statements are cut into, run on as many parallel connections. */
export const SLICES = 2;

const slice = (i: number, total: number) => ({
  from: Math.floor((total * i) / SLICES),
  to: Math.floor((total * (i + 1)) / SLICES) - 1,
});
const slices = <T>(make: (i: number) => T): T[] => Array.from({ length: SLICES }, (_, i) => make(i));

export const SCRATCH_TABLES = ['b_org', 'b_sm', 'b_pm', 'b_insp', 'b_rec'];

/**
 * Generation phases, in order; the statements of a phase run in parallel. A statement that mentions `$1` gets
 * the shared password hash.
 */
export const GENERATE_PHASES: { label: string; statements: string[] }[] = [
  {
    label: 'numbering',
    statements: [
      `
      CREATE UNLOGGED TABLE b_org AS
        SELECT i, gen_random_uuid() AS id FROM generate_series(0, ${D.organisations - 1}) i;
      CREATE UNLOGGED TABLE b_sm AS
        SELECT o.i AS org_i, o.id AS org_id, k, gen_random_uuid() AS id
        FROM b_org o CROSS JOIN generate_series(0, ${D.seniorManagersPerOrganisation - 1}) k WHERE o.i > 0;
      CREATE UNLOGGED TABLE b_pm AS
        SELECT p, gen_random_uuid() AS id FROM generate_series(0, ${D.performanceManagers - 1}) p;
      CREATE UNLOGGED TABLE b_insp AS
        SELECT n, gen_random_uuid() AS id, 1 + n % ${D.inspectedOrganisations} AS org_i
        FROM generate_series(0, ${D.inspections - 1}) n;
      CREATE UNLOGGED TABLE b_rec AS
        SELECT r, gen_random_uuid() AS id, r / ${D.recommendationsPerInspection} AS n
        FROM generate_series(0, ${RECOMMENDATION_COUNT - 1}) r;
      CREATE UNIQUE INDEX ON b_org (i);
      CREATE UNIQUE INDEX ON b_sm (org_i, k);
      CREATE UNIQUE INDEX ON b_pm (p);
      CREATE UNIQUE INDEX ON b_insp (n);
      CREATE UNIQUE INDEX ON b_rec (r);
      ANALYZE b_org, b_sm, b_pm, b_insp, b_rec;`,
    ],
  },
  {
    label: 'organisations',
    statements: [
      `
      INSERT INTO organisations (id, name, kind, region, created_at, updated_at)
      SELECT id,
        CASE WHEN i = 0 THEN 'HM Inspectorate of Probation (bench)'
          ELSE format('%s %s', (ARRAY['Probation Trust', 'NPS Division', 'Community Rehabilitation Company'])[1 + i % 3],
            lpad(i::text, 4, '0')) END,
        CASE WHEN i = 0 THEN 'inspectorate' ELSE (ARRAY['probation_trust', 'nps_division', 'crc'])[1 + i % 3] END,
        (${REGIONS})[1 + i % 10],
        now() - interval '3 years', now() - interval '3 years'
      FROM b_org`,
    ],
  },
  {
    label: 'users and portfolios',
    statements: [
      `
      WITH senior AS (
        INSERT INTO users (id, email, name, role, organisation_id, password_hash, accountable_lead, reminder_delivery)
        SELECT id, format('sm-%s-%s@bench.example.org', org_i, k), format('Senior Manager %s-%s', org_i, k),
          'senior_manager', org_id, $1, k = 0,
          CASE WHEN k = ${D.seniorManagersPerOrganisation - 1} THEN 'weekly' ELSE 'immediate' END
        FROM b_sm
        RETURNING 1
      ), performance AS (
        INSERT INTO users (id, email, name, role, organisation_id, password_hash)
        SELECT id, format('pm-%s@bench.example.org', p), format('Performance Manager %s', p),
          'performance_manager', NULL, $1
        FROM b_pm
        RETURNING 1
      )
      INSERT INTO users (email, name, role, organisation_id, password_hash)
      SELECT format('admin-%s@bench.example.org', a), format('Bench Admin %s', a), 'admin', NULL, $1
      FROM generate_series(1, ${D.admins}) a`,
      `
      INSERT INTO portfolios (user_id, organisation_id)
      SELECT pm.id, o.id
      FROM b_pm pm CROSS JOIN generate_series(0, ${D.portfolioSize - 1}) j
      JOIN b_org o ON o.i = 1 + (pm.p * ${D.portfolioSize} + j) % ${D.inspectedOrganisations}`,
    ],
  },
  {
    label: 'inspections and recommendations',
    statements: [
      `
      INSERT INTO inspections (id, organisation_id, inspectorate_id, title, programme, published_on, report_url,
        created_at, updated_at)
      SELECT b.id, o.id, ins.id, format('Inspection of probation services: %s (%s)', o.i, b.n),
        'Inspection of adult probation services', current_date - (200 + b.n % 700),
        format('https://www.justiceinspectorates.gov.uk/hmiprobation/bench/%s', b.n),
        (current_date - (200 + b.n % 700))::timestamptz, (current_date - (200 + b.n % 700))::timestamptz
      FROM b_insp b JOIN b_org o ON o.i = b.org_i CROSS JOIN (SELECT id FROM b_org WHERE i = 0) ins`,
      `
      INSERT INTO recommendations (id, inspection_id, ordinal, reference, text, theme, priority,
        owner_organisation_id, response, target_date, created_at, updated_at)
      SELECT rec.id, insp.id, rec.r % ${D.recommendationsPerInspection} + 1,
        format('R%s', rec.r % ${D.recommendationsPerInspection} + 1),
        format('The organisation should improve %s so that practice is consistent across all teams (%s).',
          (${ACTION_SUBJECTS})[1 + rec.r % 8], rec.r),
        (${THEMES})[1 + rec.r % 6], (ARRAY['high', 'medium', 'low'])[1 + (rec.r / 7) % 3], o.id,
        CASE WHEN rec.r % 20 = 0 THEN 'pending' WHEN rec.r % 20 < 4 THEN 'partially_accepted' ELSE 'accepted' END,
        current_date + (rec.r % 365 - 120),
        (current_date - (190 + insp.n % 700))::timestamptz, (current_date - (190 + insp.n % 700))::timestamptz
      FROM b_rec rec JOIN b_insp insp ON insp.n = rec.n JOIN b_org o ON o.i = insp.org_i`,
    ],
  },
  {
    label: 'actions',
    statements: slices(
      (i) => `
      INSERT INTO actions (recommendation_id, inspection_id, organisation_id, title, description, owner_id,
        due_date, original_due_date, status, progress, evidence, completed_at, verified_at, verified_by_id,
        created_at, updated_at)
      SELECT rec.id, insp.id, sm.org_id,
        format('%s %s', (${ACTION_VERBS})[1 + x.g % 8], (${ACTION_SUBJECTS})[1 + (x.g / 8) % 8]),
        CASE WHEN x.g % 5 < 3 THEN format('Part of the response to recommendation %s: named leads, a plan for each team and a report to '
          || 'the senior leadership team when done.', rec.r) END,
        sm.id, x.due, CASE WHEN x.u2 < 0.15 THEN x.due - (30 + (x.u2 * 400)::int) ELSE x.due END,
        x.status,
        CASE x.status WHEN 'not_started' THEN 0 WHEN 'in_progress' THEN 5 + (x.u2 * 90)::int
          WHEN 'blocked' THEN (x.u2 * 60)::int WHEN 'cancelled' THEN (x.u2 * 50)::int ELSE 100 END,
        CASE WHEN x.status IN ('completed', 'verified') THEN 'Minutes of the board meeting and audit results on file.' END,
        CASE WHEN x.status IN ('completed', 'verified') THEN x.done END,
        CASE WHEN x.status = 'verified' THEN least(x.done + interval '7 days', now()) END,
        CASE WHEN x.status = 'verified' THEN pm.id END,
        x.created, greatest(x.created, coalesce(x.done, x.created + interval '20 days'))
      FROM (
        SELECT y.g, y.due, y.u2, y.k,
          CASE WHEN y.due < current_date THEN
            CASE WHEN y.u < 0.40 THEN 'completed' WHEN y.u < 0.50 THEN 'verified' WHEN y.u < 0.54 THEN 'cancelled'
              WHEN y.u < 0.62 THEN 'not_started' WHEN y.u < 0.90 THEN 'in_progress' ELSE 'blocked' END
          ELSE
            CASE WHEN y.u < 0.08 THEN 'completed' WHEN y.u < 0.12 THEN 'verified' WHEN y.u < 0.14 THEN 'cancelled'
              WHEN y.u < 0.45 THEN 'not_started' WHEN y.u < 0.90 THEN 'in_progress' ELSE 'blocked' END
          END AS status,
          (least(y.due, current_date) - (y.u2 * 30)::int)::timestamptz + interval '10 hours' AS done,
          (current_date - 190 - (y.g / ${D.actionsPerRecommendation} / ${D.recommendationsPerInspection}) % 700)::timestamptz
            + interval '9 hours' AS created
        FROM (
          -- volatile functions keep this subquery from being flattened, so each row draws its values once
          SELECT g, current_date + (floor(random() * 365)::int - 182) AS due, random() AS u, random() AS u2,
            floor(random() * ${D.seniorManagersPerOrganisation})::int AS k
          FROM generate_series(${slice(i, ACTION_COUNT).from}, ${slice(i, ACTION_COUNT).to}) g
        ) y
      ) x
      JOIN b_rec rec ON rec.r = x.g / ${D.actionsPerRecommendation}
      JOIN b_insp insp ON insp.n = rec.n
      JOIN b_sm sm ON sm.org_i = insp.org_i AND sm.k = x.k
      JOIN b_pm pm ON pm.p = (insp.org_i - 1) / ${D.portfolioSize}`,
    ),
  },
  {
    label: 'action history (created rows)',
    // Built as text and cast once: several times cheaper than nested jsonb_build_object calls.
    statements: slices(
      (i) => `
      INSERT INTO action_updates (action_id, actor_id, kind, changes, created_at)
      SELECT a.id, a.owner_id, 'created',
        ('[{"field": "title", "from": null, "to": ' || to_json(a.title)::text
          || '}, {"field": "ownerId", "from": null, "to": "' || a.owner_id::text
          || '"}, {"field": "dueDate", "from": null, "to": "' || a.original_due_date::text
          || '"}, {"field": "status", "from": null, "to": "not_started"}, {"field": "progress", "from": null, "to": 0}]'
        )::jsonb,
        a.created_at
      FROM actions a
      WHERE ${i === 0 ? 'TRUE' : `a.id >= '${boundary(i)}'`} AND ${i === SLICES - 1 ? 'TRUE' : `a.id < '${boundary(i + 1)}'`}`,
    ),
  },
];

/** The uuid splitting the key space into SLICES equal parts at slice i. */
function boundary(i: number): string {
  const hex = Math.floor((0x100000000 * i) / SLICES)
    .toString(16)
    .padStart(8, '0');
  return `${hex}-0000-0000-0000-000000000000`;
}
