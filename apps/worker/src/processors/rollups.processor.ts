import { Injectable, Logger } from '@nestjs/common';
import { Clock, londonDateOf, ReconcileResult, RollupsService, SnapshotsService } from '@rt/domain';
import { QueueName } from '@rt/jobs';
import { JobHandlers, QueueProcessor } from './queue-processor';

/** Days of refresh log kept. */
const LOG_DAYS = 14;

/**
 * Keeps the roll-ups: `refresh` recomputes one organisation's cells (debounced per organisation by the
 * subscriber) and those of other organisations still pending, `reconcile` recomputes everything from source and repairs drift, `daily` reconciles and then
 * records the day's figures for the trend, `quarterSnapshot` freezes the quarter-end "as at" snapshot.
 */
@Injectable()
export class RollupsProcessor implements QueueProcessor<QueueName.Rollups> {
  readonly queue = QueueName.Rollups;
  readonly options = { concurrency: 2 };
  readonly handlers: JobHandlers<QueueName.Rollups> = {
    refresh: (job) => this.rollups.refreshPending(job.data.organisationId),
    reconcile: (job) => this.rollups.reconcile(job.data.trigger),
    daily: () => this.daily(),
    quarterSnapshot: () => this.snapshots.takeQuarterEnd(),
  };
  private readonly logger = new Logger(RollupsProcessor.name);

  constructor(
    private readonly rollups: RollupsService,
    private readonly snapshots: SnapshotsService,
    private readonly clock: Clock,
  ) {}

  async daily(): Promise<{ reconcile: ReconcileResult; captured: number }> {
    const day = londonDateOf(this.clock.now());
    const reconcile = await this.rollups.reconcile('schedule', day);
    const captured = await this.rollups.captureDay(day);
    await this.rollups.pruneLog(LOG_DAYS);
    this.logger.log({ day, captured }, 'Roll-ups recorded for the trend');
    return { reconcile, captured };
  }
}
