import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WorkingCalendar } from '../reminders/working-calendar';
import { addDays, IsoDate, londonDateOf, londonTimeOf } from '../shared/dates';
import { digestWeeksDue } from './digest';

export interface DigestRunRequest {
  /** The moment the run is for; its London date is the day the digests may go. */
  asOf: Date;
  /** The Monday of the week the digests cover. */
  weekStart: IsoDate;
  trigger: 'schedule' | 'manual';
  /** Stable for one run: a retried run with the same key adds nothing. */
  runKey: string;
}

/** A digest to deliver: its unique key. */
export interface DigestKey {
  recipientId: string;
  weekStart: IsoDate;
}

export interface DigestRunResult {
  runId: string;
  weekStart: IsoDate;
  weekEnd: IsoDate;
  runDate: IsoDate;
  /** Digests this run wrote (none for a recipient who already has this week's). */
  digests: number;
  /** Every digest waiting to go, this run's and any decided earlier whose send job was lost. */
  waiting: DigestKey[];
}

/**
 * Decides the weekly digests: one row per active performance manager who takes the digest and has a portfolio,
 * under the unique key (recipient, week), written before anything is enqueued. A second run for the same week, two
 * workers at once, or a retry after a crash add nothing; what the digest says is worked out when it is sent
 * (DigestDeliveryService).
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger(DigestService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly calendar: WorkingCalendar,
  ) {}

  async run(request: DigestRunRequest): Promise<DigestRunResult> {
    const runDate = londonDateOf(request.asOf);
    const weekEnd = addDays(request.weekStart, 6);
    const { runId, digests } = await this.db.transaction(async (manager) => {
      const [{ id }] = await manager.query(
        `INSERT INTO digest_runs (run_key, week_start, trigger, as_of) VALUES ($1, $2, $3, $4)
         ON CONFLICT (run_key) DO UPDATE SET as_of = EXCLUDED.as_of, status = 'running' RETURNING id`,
        [request.runKey, request.weekStart, request.trigger, request.asOf],
      );
      const [{ n }] = await manager.query(
        `WITH inserted AS (
           INSERT INTO digests (recipient_id, recipient_email, week_start, week_end, run_id, deliver_on)
           SELECT u.id, u.email, $1, $2, $3, $4 FROM users u
           WHERE u.role = 'performance_manager' AND u.active AND u.weekly_digest
             AND EXISTS (SELECT 1 FROM portfolios p WHERE p.user_id = u.id)
           ON CONFLICT ON CONSTRAINT digests_recipient_week_key DO NOTHING
           RETURNING 1
         )
         SELECT count(*)::int AS n FROM inserted`,
        [request.weekStart, weekEnd, id, runDate],
      );
      await manager.query(
        `UPDATE digest_runs SET status = 'completed', completed_at = clock_timestamp(), digests = $2 WHERE id = $1`,
        [id, n],
      );
      return { runId: id as string, digests: n as number };
    });
    const waiting = await this.waiting(runDate);
    this.logger.log({ runKey: request.runKey, weekStart: request.weekStart, digests }, 'Weekly digest run');
    return { runId, weekStart: request.weekStart, weekEnd, runDate, digests, waiting };
  }

  /** Digests still queued that may go by `date` (a job lost with Redis is enqueued again from here). */
  async waiting(date: IsoDate): Promise<DigestKey[]> {
    const rows: { recipient_id: string; week_start: string }[] = await this.db.query(
      `SELECT recipient_id, week_start::text AS week_start FROM digests
       WHERE status = 'queued' AND deliver_on <= $1 ORDER BY week_start, recipient_id`,
      [date],
    );
    return rows.map((r) => ({ recipientId: r.recipient_id, weekStart: r.week_start }));
  }

  /** The weeks whose scheduled run is due at `now` and has not happened (see digestWeeksDue). */
  async weeksDue(now: Date): Promise<IsoDate[]> {
    const [{ last }] = await this.db.query(
      `SELECT max(week_start)::text AS last FROM digest_runs WHERE trigger = 'schedule' AND status = 'completed'`,
    );
    return digestWeeksDue(londonDateOf(now), londonTimeOf(now), this.calendar, last ?? null);
  }
}
