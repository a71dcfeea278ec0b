import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-overs after a restructuring: the record of each (kind, effective date, who, predecessors and successors,
 * a summary of what moved) and one row per recommendation moved, from and to. The history rows a hand-over writes
 * (kind 'handover' in action_updates and recommendation_updates, which the initial schema already allows) name
 * it in handover_id.
 */
export class Handovers1764800000000 implements MigrationInterface {
  name = 'Handovers1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE handovers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('split', 'merge', 'rename')),
        effective_on date NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        dissolved_predecessors boolean NOT NULL,
        summary jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX handovers_created_idx ON handovers (created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE handover_organisations (
        handover_id uuid NOT NULL REFERENCES handovers (id),
        organisation_id uuid NOT NULL REFERENCES organisations (id),
        role text NOT NULL CHECK (role IN ('predecessor', 'successor')),
        PRIMARY KEY (handover_id, organisation_id)
      )`);
    await q.query(`CREATE INDEX handover_organisations_organisation_idx ON handover_organisations (organisation_id)`);

    await q.query(`
      CREATE TABLE handover_moves (
        handover_id uuid NOT NULL REFERENCES handovers (id),
        recommendation_id uuid NOT NULL REFERENCES recommendations (id),
        from_organisation_id uuid NOT NULL REFERENCES organisations (id),
        to_organisation_id uuid NOT NULL REFERENCES organisations (id),
        actions integer NOT NULL DEFAULT 0,
        PRIMARY KEY (handover_id, recommendation_id),
        CONSTRAINT handover_moves_not_self_check CHECK (from_organisation_id <> to_organisation_id)
      )`);
    await q.query(`CREATE INDEX handover_moves_recommendation_idx ON handover_moves (recommendation_id)`);

    // The hand-over a history row records. Adding a nullable column rewrites no row: history stays as written.
    await q.query(`ALTER TABLE action_updates ADD COLUMN handover_id uuid REFERENCES handovers (id)`);
    await q.query(`ALTER TABLE recommendation_updates ADD COLUMN handover_id uuid REFERENCES handovers (id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recommendation_updates DROP COLUMN handover_id`);
    await q.query(`ALTER TABLE action_updates DROP COLUMN handover_id`);
    await q.query(`DROP TABLE handover_moves`);
    await q.query(`DROP TABLE handover_organisations`);
    await q.query(`DROP TABLE handovers`);
  }
}
