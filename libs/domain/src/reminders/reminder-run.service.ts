import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OPEN_STATUS_SQL } from '../actions/action';
import { addDays, daysBetween, IsoDate, londonDateOf } from '../shared/dates';
import { ReminderSettings } from './reminder-settings';
import { ReminderSettingsService, SettingsProfile } from './reminder-settings.service';
import { WorkingCalendar } from './working-calendar';

export interface ReminderRunRequest {
  /** The moment the run is for; its London date is the run date. */
  asOf: Date;
  trigger: 'schedule' | 'manual';
  /** Stable for one run: a retried or repeated run with the same key adds nothing. */
  runKey: string;
  /** Scheduled runs go per send time: only organisations whose send time this is. */
  sendTime?: string;
}

export interface ReminderRunResult {
  runId: string | null;
  runDate: IsoDate;
  status: 'completed' | 'skipped';
  note?: string;
  organisations: number;
  notifications: number;
  /** Emails to deliver (one per recipient): each key names the notifications travelling together. */
  emailKeys: string[];
}

/** One date the run looks for: actions due on `dueDate` get a `reason` reminder (its `occurrence`). */
interface Trigger {
  dueDate: IsoDate;
  reason: 'before' | 'due' | 'overdue' | 'escalation';
  occurrence: number;
  triggerDate: IsoDate;
}

/**
 * Decides a day's reminders. For the run date D on a working day it covers every day since the previous
 * working day (so reminders that fell on a weekend or bank holiday go on the next run), turns each profile's
 * settings into the exact due dates that trigger something in that window, and lets PostgreSQL find the
 * actions by the open-actions due-date index and write one notification per (action, kind, due date,
 * occurrence, recipient) under a unique key: running it twice, or two workers at once, adds nothing. It then
 * groups what may be delivered now into one email per recipient.
 */
@Injectable()
export class ReminderRunService {
  private readonly logger = new Logger(ReminderRunService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: ReminderSettingsService,
    private readonly calendar: WorkingCalendar,
  ) {}

  async run(request: ReminderRunRequest): Promise<ReminderRunResult> {
    const runDate = londonDateOf(request.asOf);
    if (!this.calendar.isWorkingDay(runDate)) {
      const note = `${runDate} is not a working day; its reminders go on the next working day`;
      await this.record(request, runDate, 'skipped', note);
      return { runId: null, runDate, status: 'skipped', note, organisations: 0, notifications: 0, emailKeys: [] };
    }
    const windowStart = this.calendar.previousWorkingDay(runDate);
    return this.db.transaction(async (manager) => {
      const profiles = (await this.settings.profiles(manager)).filter(
        (p) => !request.sendTime || p.settings.sendTime === request.sendTime,
      );
      const organisationIds = profiles.flatMap((p) => p.organisationIds);
      const [{ id: runId }] = await manager.query(
        `INSERT INTO reminder_runs (run_key, run_date, trigger, as_of) VALUES ($1, $2, $3, $4)
         ON CONFLICT (run_key) DO UPDATE SET as_of = EXCLUDED.as_of, status = 'running' RETURNING id`,
        [request.runKey, runDate, request.trigger, request.asOf],
      );
      const [{ earliest }] = await manager.query(
        `SELECT min(due_date) AS earliest FROM actions WHERE status ${OPEN_STATUS_SQL}`,
      );
      let notifications = 0;
      for (const profile of profiles) {
        if (profile.organisationIds.length === 0) continue;
        const triggers = triggersFor(profile.settings, windowStart, runDate, earliest ?? runDate);
        notifications += await this.record_(manager, runId, profile, triggers);
      }
      const emailKeys = await this.assignEmails(manager, runId, request.runKey, runDate, organisationIds);
      await manager.query(
        `UPDATE reminder_runs SET status = 'completed', completed_at = clock_timestamp(), organisations = $2,
           notifications = $3, emails = $4 WHERE id = $1`,
        [runId, organisationIds.length, notifications, emailKeys.length],
      );
      this.logger.log({ runDate, runKey: request.runKey, notifications, emails: emailKeys.length }, 'Reminder run');
      return { runId, runDate, status: 'completed', organisations: organisationIds.length, notifications, emailKeys };
    });
  }

  /** The notifications for one settings profile; returns how many were new. */
  private async record_(
    manager: EntityManager,
    runId: string,
    profile: SettingsProfile,
    triggers: Trigger[],
  ): Promise<number> {
    if (triggers.length === 0) return 0;
    const [{ count }] = await manager.query(
      `WITH t AS (
         SELECT * FROM unnest($1::date[], $2::text[], $3::int[], $4::date[]) AS t(due_date, reason, occurrence, trigger_date)
       ), due AS (
         SELECT a.id AS action_id, a.organisation_id, a.owner_id, a.due_date, t.reason, t.occurrence, t.trigger_date
         FROM t JOIN actions a ON a.due_date = t.due_date
         WHERE a.status IN ('not_started', 'in_progress', 'blocked') AND a.organisation_id = ANY($5::uuid[])
       ), addressed AS (
         SELECT d.*, 'reminder' AS kind, u.id AS recipient_id, u.email, u.reminder_delivery
         FROM due d JOIN users u ON u.id = d.owner_id AND u.active
         WHERE d.reason <> 'escalation'
         UNION ALL
         SELECT d.*, 'escalation', u.id, u.email, 'immediate'
         FROM due d JOIN users u ON u.organisation_id = d.organisation_id AND u.accountable_lead AND u.active
           AND u.role = 'senior_manager'
         WHERE d.reason = 'escalation'
         UNION ALL
         SELECT d.*, 'escalation', u.id, u.email, 'immediate'
         FROM due d JOIN portfolios p ON p.organisation_id = d.organisation_id
           JOIN users u ON u.id = p.user_id AND u.active AND u.role = 'performance_manager'
         WHERE d.reason = 'escalation'
       ), inserted AS (
         INSERT INTO notifications (key, kind, reason, occurrence, action_id, organisation_id, recipient_id,
           recipient_email, due_date, trigger_date, deliver_on, run_id)
         SELECT kind || ':' || action_id || ':' || reason || '-' || occurrence || ':' || due_date || ':' || recipient_id,
           kind, reason, occurrence, action_id, organisation_id, recipient_id, email, due_date, trigger_date,
           -- Weekly readers get reminders on the Monday on or after the day they fell due; escalations always go.
           CASE WHEN kind = 'reminder' AND reminder_delivery = 'weekly'
             THEN trigger_date + ((8 - extract(isodow FROM trigger_date)::int) % 7) ELSE trigger_date END,
           $6
         FROM addressed
         ON CONFLICT (key) DO NOTHING
         RETURNING 1
       )
       SELECT count(*)::int AS count FROM inserted`,
      [
        triggers.map((t) => t.dueDate),
        triggers.map((t) => t.reason),
        triggers.map((t) => t.occurrence),
        triggers.map((t) => t.triggerDate),
        profile.organisationIds,
        runId,
      ],
    );
    return count;
  }

  /**
   * Puts everything now deliverable into one email per recipient, and also answers emails decided earlier
   * but not yet sent (a job lost with a flushed Redis is enqueued again; delivery skips what was sent).
   */
  private async assignEmails(
    manager: EntityManager,
    runId: string,
    runKey: string,
    runDate: IsoDate,
    organisationIds: string[],
  ): Promise<string[]> {
    const rows: { email_key: string }[] = await manager.query(
      `WITH assigned AS (
         UPDATE notifications SET email_key = $1 || '~' || recipient_id, run_id = COALESCE(run_id, $2),
           updated_at = clock_timestamp()
         WHERE status = 'queued' AND email_key IS NULL AND deliver_on <= $3 AND organisation_id = ANY($4::uuid[])
         RETURNING email_key
       )
       SELECT email_key FROM assigned
       UNION
       SELECT email_key FROM notifications
       WHERE status = 'queued' AND email_key IS NOT NULL AND deliver_on <= $3 AND organisation_id = ANY($4::uuid[])
       ORDER BY 1`,
      [runKey, runId, runDate, organisationIds],
    );
    return rows.map((r) => r.email_key);
  }

  private async record(request: ReminderRunRequest, runDate: IsoDate, status: 'skipped', note: string) {
    await this.db.query(
      `INSERT INTO reminder_runs (run_key, run_date, trigger, as_of, status, note, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
       ON CONFLICT (run_key) DO UPDATE SET as_of = EXCLUDED.as_of, status = EXCLUDED.status, note = EXCLUDED.note`,
      [request.runKey, runDate, request.trigger, request.asOf, status, note],
    );
  }
}

/**
 * The due dates that trigger a reminder on some day in (windowStart, runDate], for one set of settings. Repeats
 * (overdue, escalation) reach back only as far as the earliest open due date.
 */
export function triggersFor(
  settings: ReminderSettings,
  windowStart: IsoDate,
  runDate: IsoDate,
  earliestOpenDueDate: IsoDate,
): Trigger[] {
  const days: IsoDate[] = [];
  for (let d = addDays(windowStart, 1); d <= runDate; d = addDays(d, 1)) days.push(d);
  const triggers: Trigger[] = [];
  for (const day of days) {
    for (const offset of settings.offsetsDays) {
      triggers.push({ dueDate: addDays(day, offset), reason: 'before', occurrence: offset, triggerDate: day });
    }
    triggers.push({ dueDate: day, reason: 'due', occurrence: 0, triggerDate: day });
    const reach = daysBetween(earliestOpenDueDate, day);
    for (let n = 1; n * settings.overdueRepeatDays <= reach; n++) {
      triggers.push({
        dueDate: addDays(day, -n * settings.overdueRepeatDays),
        reason: 'overdue',
        occurrence: n,
        triggerDate: day,
      });
    }
    for (let m = 0; settings.escalationAfterDays + m * settings.escalationRepeatDays <= reach; m++) {
      triggers.push({
        dueDate: addDays(day, -(settings.escalationAfterDays + m * settings.escalationRepeatDays)),
        reason: 'escalation',
        occurrence: m,
        triggerDate: day,
      });
    }
  }
  // A due date reached twice in one window (short repeats, long weekends) is reminded of once: the latest.
  const latest = new Map<string, Trigger>();
  for (const t of triggers) latest.set(`${t.reason}:${t.dueDate}`, t);
  return [...latest.values()];
}
