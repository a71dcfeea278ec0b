import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The core model: organisations, users and portfolios, inspections with findings and recommendations,
 * actions with their append-only history, and the transactional outbox.
 *
 * Open-action indexes use the literal predicate `status IN ('not_started', 'in_progress', 'blocked')`; queries
 * must repeat it verbatim (not as parameters) for the planner to use them.
 */
export class InitialSchema1764370000000 implements MigrationInterface {
  name = 'InitialSchema1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await q.query(`
      CREATE TABLE organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('probation_trust', 'nps_division', 'crc', 'inspectorate', 'oversight', 'other')),
        region text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dissolved')),
        dissolved_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT organisations_dissolved_on_check CHECK ((status = 'dissolved') = (dissolved_on IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX organisations_name_key ON organisations (lower(name))`);
    await q.query(`CREATE INDEX organisations_name_id_idx ON organisations (name, id)`);

    await q.query(`
      CREATE TABLE organisation_successors (
        predecessor_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        successor_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        PRIMARY KEY (predecessor_id, successor_id),
        CONSTRAINT organisation_successors_not_self_check CHECK (predecessor_id <> successor_id)
      )`);
    await q.query(`CREATE INDEX organisation_successors_successor_idx ON organisation_successors (successor_id)`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'performance_manager', 'senior_manager', 'viewer')),
        organisation_id uuid REFERENCES organisations (id),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        token_generation integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT users_organisation_required_check
          CHECK (role IN ('admin', 'performance_manager') OR organisation_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await q.query(`CREATE INDEX users_organisation_idx ON users (organisation_id, name, id)`);
    await q.query(`CREATE INDEX users_name_id_idx ON users (name, id)`);

    await q.query(`
      CREATE TABLE portfolios (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, organisation_id)
      )`);
    await q.query(`CREATE INDEX portfolios_organisation_idx ON portfolios (organisation_id)`);

    await q.query(`
      CREATE TABLE inspections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id),
        inspectorate_id uuid NOT NULL REFERENCES organisations (id),
        title text NOT NULL,
        programme text,
        published_on date NOT NULL,
        published_on_approximate boolean NOT NULL DEFAULT false,
        report_url text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(
      `CREATE INDEX inspections_organisation_idx ON inspections (organisation_id, published_on DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX inspections_published_idx ON inspections (published_on DESC, id DESC)`);

    await q.query(`
      CREATE TABLE findings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inspection_id uuid NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('strength', 'concern')),
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT findings_inspection_ordinal_key UNIQUE (inspection_id, ordinal)
      )`);

    await q.query(`
      CREATE TABLE recommendations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inspection_id uuid NOT NULL REFERENCES inspections (id),
        ordinal integer NOT NULL,
        reference text NOT NULL,
        text text NOT NULL,
        theme text NOT NULL CHECK (theme IN ('risk_of_harm', 'likelihood_of_reoffending', 'protecting_children',
          'sentence_delivery', 'courts_and_victims', 'leadership_and_partnerships')),
        priority text NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
        source text NOT NULL DEFAULT 'report' CHECK (source IN ('report', 'derived')),
        owner_organisation_id uuid NOT NULL REFERENCES organisations (id),
        response text NOT NULL DEFAULT 'pending'
          CHECK (response IN ('pending', 'accepted', 'partially_accepted', 'not_accepted')),
        response_rationale text,
        target_date date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT recommendations_inspection_reference_key UNIQUE (inspection_id, reference),
        CONSTRAINT recommendations_inspection_ordinal_key UNIQUE (inspection_id, ordinal),
        CONSTRAINT recommendations_not_accepted_rationale_check
          CHECK (response <> 'not_accepted' OR coalesce(btrim(response_rationale), '') <> '')
      )`);
    await q.query(`CREATE INDEX recommendations_owner_idx ON recommendations (owner_organisation_id)`);

    await q.query(`
      CREATE TABLE finding_recommendations (
        finding_id uuid NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
        recommendation_id uuid NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
        PRIMARY KEY (finding_id, recommendation_id)
      )`);
    await q.query(
      `CREATE INDEX finding_recommendations_recommendation_idx ON finding_recommendations (recommendation_id)`,
    );

    await q.query(`
      CREATE TABLE actions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recommendation_id uuid NOT NULL REFERENCES recommendations (id),
        inspection_id uuid NOT NULL REFERENCES inspections (id),
        organisation_id uuid NOT NULL REFERENCES organisations (id),
        title text NOT NULL,
        description text,
        owner_id uuid REFERENCES users (id),
        due_date date NOT NULL,
        original_due_date date NOT NULL,
        status text NOT NULL DEFAULT 'not_started'
          CHECK (status IN ('not_started', 'in_progress', 'blocked', 'completed', 'verified', 'cancelled')),
        progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        evidence text,
        completed_at timestamptz,
        verified_at timestamptz,
        verified_by_id uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    // "My overdue actions" and "my open actions": an index-only range on the owner's open actions.
    await q.query(`CREATE INDEX actions_owner_open_due_idx ON actions (owner_id, due_date, id)
      WHERE status IN ('not_started', 'in_progress', 'blocked')`);
    await q.query(`CREATE INDEX actions_owner_due_idx ON actions (owner_id, due_date, id)`);
    await q.query(`CREATE INDEX actions_organisation_due_idx ON actions (organisation_id, due_date, id)`);
    await q.query(`CREATE INDEX actions_recommendation_due_idx ON actions (recommendation_id, due_date, id)`);
    await q.query(`CREATE INDEX actions_inspection_due_idx ON actions (inspection_id, due_date, id)`);
    // Deadline sweeps across every organisation (reminders, overdue lists).
    await q.query(`CREATE INDEX actions_open_due_idx ON actions (due_date, id)
      WHERE status IN ('not_started', 'in_progress', 'blocked')`);

    await q.query(`
      CREATE TABLE action_updates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        action_id uuid NOT NULL REFERENCES actions (id),
        actor_id uuid REFERENCES users (id),
        kind text NOT NULL CHECK (kind IN ('created', 'updated', 'comment', 'handover')),
        changes jsonb NOT NULL DEFAULT '[]',
        comment text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX action_updates_action_idx ON action_updates (action_id, created_at DESC, id DESC)`);
    // History is evidence: it is appended to, never rewritten.
    await q.query(`
      CREATE FUNCTION history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER action_updates_append_only BEFORE UPDATE OR DELETE ON action_updates
      FOR EACH ROW EXECUTE FUNCTION history_is_append_only()`);

    await q.query(`
      CREATE TABLE recommendation_updates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recommendation_id uuid NOT NULL REFERENCES recommendations (id),
        actor_id uuid REFERENCES users (id),
        kind text NOT NULL CHECK (kind IN ('created', 'updated', 'handover')),
        changes jsonb NOT NULL DEFAULT '[]',
        comment text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX recommendation_updates_recommendation_idx
      ON recommendation_updates (recommendation_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TRIGGER recommendation_updates_append_only BEFORE UPDATE OR DELETE ON recommendation_updates
      FOR EACH ROW EXECUTE FUNCTION history_is_append_only()`);

    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_type text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id uuid NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE recommendation_updates`);
    await q.query(`DROP TABLE action_updates`);
    await q.query(`DROP FUNCTION history_is_append_only()`);
    await q.query(`DROP TABLE actions`);
    await q.query(`DROP TABLE finding_recommendations`);
    await q.query(`DROP TABLE recommendations`);
    await q.query(`DROP TABLE findings`);
    await q.query(`DROP TABLE inspections`);
    await q.query(`DROP TABLE portfolios`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE organisation_successors`);
    await q.query(`DROP TABLE organisations`);
  }
}
