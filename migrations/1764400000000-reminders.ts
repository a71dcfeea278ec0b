import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadline reminders, escalations and assignment emails: who is an organisation's accountable lead, how each
 * user takes reminders, the reminder settings (global defaults, and per organisation), the runs, and the
 * notification log that records every reminder under a unique key before it is sent.
 */
export class Reminders1764400000000 implements MigrationInterface {
  name = 'Reminders1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN accountable_lead boolean NOT NULL DEFAULT false,
        ADD COLUMN reminder_delivery text NOT NULL DEFAULT 'immediate'
          CHECK (reminder_delivery IN ('immediate', 'weekly')),
        ADD CONSTRAINT users_accountable_lead_role_check CHECK (NOT accountable_lead OR role = 'senior_manager')`);
    await q.query(`CREATE INDEX users_accountable_lead_idx ON users (organisation_id) WHERE accountable_lead`);

    // One row with organisation_id NULL holds the defaults; an organisation's row overrides what it sets.
    await q.query(`
      CREATE TABLE reminder_settings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid REFERENCES organisations (id) ON DELETE CASCADE,
        offsets_days integer[],
        overdue_repeat_days integer CHECK (overdue_repeat_days BETWEEN 1 AND 90),
        escalation_after_days integer CHECK (escalation_after_days BETWEEN 1 AND 365),
        escalation_repeat_days integer CHECK (escalation_repeat_days BETWEEN 1 AND 365),
        send_time time CHECK (send_time = date_trunc('minute', send_time)),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT reminder_settings_organisation_key UNIQUE (organisation_id),
        CONSTRAINT reminder_settings_defaults_complete_check CHECK (
          organisation_id IS NOT NULL OR (offsets_days IS NOT NULL AND overdue_repeat_days IS NOT NULL
            AND escalation_after_days IS NOT NULL AND escalation_repeat_days IS NOT NULL AND send_time IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX reminder_settings_defaults_key ON reminder_settings ((true))
      WHERE organisation_id IS NULL`);
    await q.query(`
      INSERT INTO reminder_settings (organisation_id, offsets_days, overdue_repeat_days, escalation_after_days,
        escalation_repeat_days, send_time)
      VALUES (NULL, '{14,3}', 7, 14, 14, '07:00')`);

    await q.query(`
      CREATE TABLE reminder_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_key text NOT NULL,
        run_date date NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
        as_of timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'skipped', 'failed')),
        organisations integer NOT NULL DEFAULT 0,
        notifications integer NOT NULL DEFAULT 0,
        emails integer NOT NULL DEFAULT 0,
        note text,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        completed_at timestamptz,
        CONSTRAINT reminder_runs_run_key_key UNIQUE (run_key)
      )`);
    await q.query(`CREATE INDEX reminder_runs_date_idx ON reminder_runs (run_date, status)`);

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('reminder', 'escalation', 'assignment')),
        reason text NOT NULL CHECK (reason IN ('before', 'due', 'overdue', 'escalation', 'assigned')),
        occurrence integer NOT NULL DEFAULT 0,
        action_id uuid NOT NULL REFERENCES actions (id),
        organisation_id uuid NOT NULL REFERENCES organisations (id),
        recipient_id uuid NOT NULL REFERENCES users (id),
        recipient_email text NOT NULL,
        due_date date NOT NULL,
        trigger_date date NOT NULL,
        deliver_on date NOT NULL,
        run_id uuid REFERENCES reminder_runs (id),
        email_key text,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
        skip_reason text,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        message_id text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at timestamptz,
        CONSTRAINT notifications_key_key UNIQUE (key)
      )`);
    // Waiting to be put in an email, and waiting to be sent.
    await q.query(`CREATE INDEX notifications_unassigned_idx ON notifications (organisation_id, deliver_on)
      WHERE status = 'queued' AND email_key IS NULL`);
    await q.query(`CREATE INDEX notifications_email_idx ON notifications (email_key) WHERE email_key IS NOT NULL`);
    // The log, newest first, by organisation (scope), recipient and action.
    await q.query(
      `CREATE INDEX notifications_organisation_idx ON notifications (organisation_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX notifications_created_idx ON notifications (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, created_at DESC)`);
    await q.query(`CREATE INDEX notifications_action_idx ON notifications (action_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE reminder_runs`);
    await q.query(`DROP TABLE reminder_settings`);
    await q.query(`ALTER TABLE users DROP COLUMN accountable_lead, DROP COLUMN reminder_delivery`);
  }
}
