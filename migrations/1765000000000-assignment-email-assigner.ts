import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who made someone the owner of an action, for the assignment email ("Jo Bloggs made you the owner"): kept on the
 * email when it is recorded, from the outbox event's actor. Null on every other email, and on an assignment whose
 * actor is not known.
 */
export class AssignmentEmailAssigner1765000000000 implements MigrationInterface {
  name = 'AssignmentEmailAssigner1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE emails ADD COLUMN assigned_by_id uuid REFERENCES users (id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE emails DROP COLUMN assigned_by_id`);
  }
}
