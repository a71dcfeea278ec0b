import { Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  Clock,
  londonDateOf,
  londonTimeOf,
  ReminderRunResult,
  ReminderRunService,
  ReminderSettingsService,
  scheduledRunKey,
  WorkingCalendar,
} from '@rt/domain';
import { QueueName, RemindersRunJobData } from '@rt/jobs';
import { EmailQueue } from '../delivery/email-queue';
import { JobHandlers, QueueProcessor } from './queue-processor';

/** How far back a tick looks for working days whose runs never happened (the worker was down). */
const CATCH_UP_WORKING_DAYS = 5;

/**
 * Decides reminders, then enqueues one send job per email. `tick` (every quarter hour, from the scheduler)
 * runs each group of organisations once its send time has come on a working day, and catches up runs missed
 * while the worker was down; `run` is the admin's "run now, as of …" for every organisation.
 */
@Injectable()
export class RemindersProcessor implements QueueProcessor<QueueName.Reminders> {
  readonly queue = QueueName.Reminders;
  readonly handlers: JobHandlers<QueueName.Reminders> = {
    tick: () => this.tick(),
    run: (job) => this.runNow(job),
  };
  private readonly logger = new Logger(RemindersProcessor.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly runs: ReminderRunService,
    private readonly settings: ReminderSettingsService,
    private readonly calendar: WorkingCalendar,
    private readonly emails: EmailQueue,
    private readonly clock: Clock,
  ) {}

  async runNow(job: Job<RemindersRunJobData>): Promise<ReminderRunResult & { emails: number }> {
    const asOf = job.data.asOf ? new Date(job.data.asOf) : this.clock.now();
    const result = await this.runs.run({ asOf, trigger: 'manual', runKey: `manual-${job.id}` });
    await this.emails.enqueue(result.emailKeys);
    return { ...result, emailKeys: [], emails: result.emailKeys.length };
  }

  async tick(): Promise<{ runs: string[] }> {
    const now = this.clock.now();
    const today = londonDateOf(now);
    const sendTimes = await this.settings.sendTimes();
    const [{ last }] = await this.db.query(
      `SELECT max(run_date)::text AS last FROM reminder_runs WHERE trigger = 'schedule' AND status <> 'running'`,
    );
    // Working days since the last scheduled run (at most a week back; none before the first run ever).
    const days = [today];
    for (let d = today, i = 0; last && i < CATCH_UP_WORKING_DAYS; i++) {
      d = this.calendar.previousWorkingDay(d);
      if (d < last) break;
      days.unshift(d);
    }
    const done = new Set(
      (
        await this.db.query(`SELECT run_key FROM reminder_runs WHERE run_date >= $1 AND status <> 'running'`, [days[0]])
      ).map((r: { run_key: string }) => r.run_key),
    );
    const ran: string[] = [];
    for (const day of days) {
      if (!this.calendar.isWorkingDay(day)) continue;
      for (const sendTime of sendTimes) {
        if (day === today && sendTime > londonTimeOf(now)) continue;
        const runKey = scheduledRunKey(day, sendTime);
        if (done.has(runKey)) continue;
        const asOf = day === today ? now : new Date(`${day}T12:00:00Z`);
        const result = await this.runs.run({ asOf, trigger: 'schedule', runKey, sendTime });
        await this.emails.enqueue(result.emailKeys);
        ran.push(runKey);
      }
    }
    if (ran.length) this.logger.log({ runs: ran }, 'Scheduled reminder runs');
    return { runs: ran };
  }
}
