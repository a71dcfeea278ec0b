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

    // The delivery log: one message to one person. A reminder run writes one row per recipient holding what it
    // decided (the items, as parallel arrays: action, reason, occurrence, due date, day it fell due); the send
    // job records each item in `notifications` before it talks to SMTP, then keeps the outcome here.
    await q.query(`
      CREATE TABLE emails (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email_key text NOT NULL,
        recipient_id uuid NOT NULL REFERENCES users (id),
        recipient_email text NOT NULL,
        run_id uuid REFERENCES reminder_runs (id),
        deliver_on date NOT NULL,
        item_action_ids uuid[] NOT NULL,
        item_reasons text[] NOT NULL,
        item_occurrences bigint[] NOT NULL,
        item_due_dates date[] NOT NULL,
        item_trigger_dates date[] NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        message_id text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at timestamptz,
        CONSTRAINT emails_email_key_key UNIQUE (email_key),
        CONSTRAINT emails_items_check CHECK (
          cardinality(item_action_ids) = cardinality(item_reasons)
          AND cardinality(item_action_ids) = cardinality(item_occurrences)
          AND cardinality(item_action_ids) = cardinality(item_due_dates)
          AND cardinality(item_action_ids) = cardinality(item_trigger_dates))
      )`);
    // Waiting to go (a run enqueues again whatever is still waiting, e.g. after Redis lost its jobs).
    await q.query(`CREATE INDEX emails_queued_idx ON emails (deliver_on) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX emails_recipient_idx ON emails (recipient_id, created_at DESC)`);

    // Every reminder, escalation and assignment about one action to one person, recorded under its unique key
    // (action, kind, reason, occurrence, due date, recipient) before the email carrying it is sent: a second run,
    // a second worker, a retry or a re-enqueued job finds it recorded and sends nothing more. Its delivery
    // status is its email's, unless it was skipped (no longer due when the email went).
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- No foreign keys: every row is written by one statement that joins its email and its action (neither is
        -- ever deleted), and checking them again cost more than the rest of the insert (per email sent).
        email_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('reminder', 'escalation', 'assignment')),
        reason text NOT NULL CHECK (reason IN ('before', 'due', 'overdue', 'escalation', 'assigned')),
        occurrence bigint NOT NULL DEFAULT 0,
        action_id uuid NOT NULL,
        -- Copied from the action and the email, for the log's scope and filters.
        organisation_id uuid NOT NULL,
        recipient_id uuid NOT NULL,
        due_date date NOT NULL,
        trigger_date date NOT NULL,
        skip_reason text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT notifications_key_key UNIQUE (action_id, kind, reason, occurrence, due_date, recipient_id)
      )`);
    await q.query(`CREATE INDEX notifications_email_idx ON notifications (email_id)`);
    // The log, newest first, by organisation (scope), recipient, and overall (by action: the unique key).
    await q.query(
      `CREATE INDEX notifications_organisation_idx ON notifications (organisation_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX notifications_created_idx ON notifications (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE emails`);
    await q.query(`DROP TABLE reminder_runs`);
    await q.query(`DROP TABLE reminder_settings`);
    await q.query(`ALTER TABLE users DROP COLUMN accountable_lead, DROP COLUMN reminder_delivery`);
  }
}
