import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OPEN_STATUS_SQL } from '../actions/action';
import { addDays, daysBetween, IsoDate, londonDateOf, mondayOf } from '../shared/dates';
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

/** The run key of the scheduled run of `day` at `sendTime` ("HH:MM"), e.g. 2026-03-02T0700: one such run, ever. */
export const scheduledRunKey = (day: IsoDate, sendTime: string): string => `${day}T${sendTime.replace(':', '')}`;

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

/** A trigger for one settings profile and one audience: owners taking reminders at once or weekly, or escalation. */
interface ProfileTrigger extends Trigger {
  profile: number;
  audience: 'immediate' | 'weekly' | 'escalation';
}

/**
 * Decides a day's reminders. For the run date D on a working day it covers every day since the previous
 * working day (so reminders that fell on a weekend or bank holiday go on the next run), and on the first working
 * day of a week the week's reminders of those who take them weekly. It turns each profile's settings into the
 * exact due dates that trigger something in that window and lets PostgreSQL find the actions, address them and
 * write one email per recipient listing its items; nothing per action is done in Node. The send job then
 * records each item under its unique key before anything is sent (see ReminderDeliveryService).
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
    const weeklyWindowStart = this.weeklyWindowStart(runDate);
    return this.db.transaction(async (manager) => {
      const profiles = (await this.settings.profiles(manager)).filter(
        (p) => p.organisationIds.length > 0 && (!request.sendTime || p.settings.sendTime === request.sendTime),
      );
      const organisationIds = profiles.flatMap((p) => p.organisationIds);
      const [{ id: runId }] = await manager.query(
        `INSERT INTO reminder_runs (run_key, run_date, trigger, as_of) VALUES ($1, $2, $3, $4)
         ON CONFLICT (run_key) DO UPDATE SET as_of = EXCLUDED.as_of, status = 'running' RETURNING id`,
        [request.runKey, runDate, request.trigger, request.asOf],
      );
      const [{ earliest }] = await manager.query(
        `SELECT min(due_date)::text AS earliest FROM actions WHERE status ${OPEN_STATUS_SQL}`,
      );
      const triggers: ProfileTrigger[] = profiles.flatMap((profile, index) => {
        const daily = triggersFor(profile.settings, windowStart, runDate, earliest ?? runDate).map((t) => ({
          ...t,
          profile: index,
          audience: t.reason === 'escalation' ? ('escalation' as const) : ('immediate' as const),
        }));
        const weekly = weeklyWindowStart
          ? triggersFor(profile.settings, weeklyWindowStart, runDate, earliest ?? runDate)
              .filter((t) => t.reason !== 'escalation')
              .map((t) => ({ ...t, profile: index, audience: 'weekly' as const }))
          : [];
        return [...daily, ...weekly];
      });
      const decided = await this.decide(manager, request.runKey, runId, runDate, profiles, triggers);
      // Everything waiting to go: this run's emails, and any decided earlier whose send job was lost.
      const waiting: { email_key: string }[] = await manager.query(
        `SELECT email_key FROM emails WHERE status = 'queued' AND deliver_on <= $1 ORDER BY email_key`,
        [runDate],
      );
      const emailKeys = waiting.map((r) => r.email_key);
      await manager.query(
        `UPDATE reminder_runs SET status = 'completed', completed_at = clock_timestamp(), organisations = $2,
           notifications = $3, emails = $4 WHERE id = $1`,
        [runId, organisationIds.length, decided.items, decided.emails],
      );
      this.logger.log(
        { runDate, runKey: request.runKey, notifications: decided.items, emails: decided.emails },
        'Reminder run',
      );
      return {
        runId,
        runDate,
        status: 'completed',
        organisations: organisationIds.length,
        notifications: decided.items,
        emailKeys,
      };
    });
  }

  /**
   * Weekly readers get a week's reminders together on the first working day of the week: on that day, the
   * window runs from the previous week's one (exclusive); on other days there is no weekly window.
   */
  private weeklyWindowStart(runDate: IsoDate): IsoDate | null {
    const monday = mondayOf(runDate);
    if (this.calendar.nextWorkingDayFrom(monday) !== runDate) return null;
    return this.calendar.nextWorkingDayFrom(addDays(monday, -7));
  }

  /**
   * One statement finds the actions due a reminder (by due date, through the open-actions index), addresses
   * each to its recipients (the owner; for escalations the accountable lead and the performance managers
   * overseeing the organisation) and writes one email per recipient with its items. The email key (run key and
   * recipient) makes a repeated or concurrent run add nothing. Returns what it wrote.
   */
  private async decide(
    manager: EntityManager,
    runKey: string,
    runId: string,
    runDate: IsoDate,
    profiles: SettingsProfile[],
    triggers: ProfileTrigger[],
  ): Promise<{ emails: number; items: number }> {
    if (triggers.length === 0) return { emails: 0, items: 0 };
    const [row] = await manager.query(
      `WITH t AS (
         SELECT * FROM unnest($1::int[], $2::date[], $3::text[], $4::int[], $5::date[], $6::text[])
           AS t(profile, due_date, reason, occurrence, trigger_date, audience)
       ), o AS (
         SELECT * FROM unnest($7::uuid[], $8::int[]) AS o(organisation_id, profile)
       ), due AS (
         SELECT a.id AS action_id, a.organisation_id, a.owner_id, t.due_date, t.reason, t.occurrence,
           t.trigger_date, t.audience
         FROM t JOIN actions a ON a.due_date = t.due_date AND a.status ${OPEN_STATUS_SQL}
         JOIN o ON o.organisation_id = a.organisation_id AND o.profile = t.profile
       ), addressed AS (
         SELECT d.*, u.id AS recipient_id, u.email
         FROM due d JOIN users u ON u.id = d.owner_id AND u.active AND u.reminder_delivery = d.audience
         WHERE d.audience <> 'escalation'
         UNION ALL
         SELECT d.*, u.id, u.email
         FROM due d JOIN users u ON u.organisation_id = d.organisation_id AND u.accountable_lead AND u.active
           AND u.role = 'senior_manager'
         WHERE d.audience = 'escalation'
         UNION ALL
         SELECT d.*, u.id, u.email
         FROM due d JOIN portfolios p ON p.organisation_id = d.organisation_id
           JOIN users u ON u.id = p.user_id AND u.active AND u.role = 'performance_manager'
         WHERE d.audience = 'escalation'
       ), inserted AS (
         INSERT INTO emails (email_key, recipient_id, recipient_email, run_id, deliver_on, item_action_ids,
           item_reasons, item_occurrences, item_due_dates, item_trigger_dates)
         SELECT $9 || '~' || recipient_id, recipient_id, min(email), $10, $11, array_agg(action_id),
           array_agg(reason), array_agg(occurrence), array_agg(due_date), array_agg(trigger_date)
         FROM addressed GROUP BY recipient_id
         ON CONFLICT (email_key) DO NOTHING
         RETURNING cardinality(item_action_ids) AS items
       )
       SELECT count(*)::int AS emails, coalesce(sum(items), 0)::int AS items FROM inserted`,
      [
        triggers.map((t) => t.profile),
        triggers.map((t) => t.dueDate),
        triggers.map((t) => t.reason),
        triggers.map((t) => t.occurrence),
        triggers.map((t) => t.triggerDate),
        triggers.map((t) => t.audience),
        profiles.flatMap((p) => p.organisationIds),
        profiles.flatMap((p, index) => p.organisationIds.map(() => index)),
        runKey,
        runId,
        runDate,
      ],
    );
    return row;
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
