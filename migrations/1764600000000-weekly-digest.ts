import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The weekly digest to performance managers: who takes it (users.weekly_digest, on unless they opt out), each
 * week's run, and the digests themselves, one per recipient and week under a unique key, written before anything
 * is sent and keeping how delivery went.
 */
export class WeeklyDigest1764600000000 implements MigrationInterface {
  name = 'WeeklyDigest1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN weekly_digest boolean NOT NULL DEFAULT true`);

    await q.query(`
      CREATE TABLE digest_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_key text NOT NULL,
        week_start date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
        trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
        as_of timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed')),
        digests integer NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        completed_at timestamptz,
        CONSTRAINT digest_runs_run_key_key UNIQUE (run_key)
      )`);
    await q.query(`CREATE INDEX digest_runs_week_idx ON digest_runs (week_start, trigger, status)`);

    // One digest per recipient and week covered (Monday week_start to Sunday week_end). Its content is worked out
    // from that week when it is sent; the row keeps the delivery: queued, then sent, failed or skipped.
    await q.query(`
      CREATE TABLE digests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient_id uuid NOT NULL REFERENCES users (id),
        recipient_email text NOT NULL,
        week_start date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
        week_end date NOT NULL CHECK (week_end = week_start + 6),
        run_id uuid REFERENCES digest_runs (id),
        deliver_on date NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
        skip_reason text,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        message_id text,
        organisations integer,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at timestamptz,
        CONSTRAINT digests_recipient_week_key UNIQUE (recipient_id, week_start)
      )`);
    // Waiting to go: every tick enqueues again whatever is still waiting (e.g. after Redis lost its jobs).
    await q.query(`CREATE INDEX digests_queued_idx ON digests (deliver_on) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX digests_week_idx ON digests (week_start, status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE digests`);
    await q.query(`DROP TABLE digest_runs`);
    await q.query(`ALTER TABLE users DROP COLUMN weekly_digest`);
  }
}
