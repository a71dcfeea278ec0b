import { Injectable } from '@nestjs/common';
import { Actor, REGION_KEYS, RollupsService } from '@rt/domain';
import { sumTrendPoints, TrendPoint, TrendRange } from './trend-chart';

/** The trend figures the dashboard draws, read from RollupsService.trend within the actor's scope. */
@Injectable()
export class DashboardTrends {
  constructor(private readonly rollups: RollupsService) {}

  /**
   * The whole portfolio: the region trends (each the sum of the organisations in scope in that region) added up
   * per day. Every organisation has one region, so this is the sum over organisations, in a fixed number of reads
   * however large the portfolio.
   */
  async portfolio(actor: Actor, range: TrendRange): Promise<TrendPoint[]> {
    const trends = await Promise.all(
      REGION_KEYS.map((region) => this.rollups.trend(actor, 'region', region, range.from, range.to)),
    );
    return sumTrendPoints(trends.map((t) => t.points));
  }

  async organisation(actor: Actor, organisationId: string, range: TrendRange): Promise<TrendPoint[]> {
    const trend = await this.rollups.trend(actor, 'organisation', organisationId, range.from, range.to);
    return trend.points.map(({ date, percentComplete, overdue }) => ({ date, percentComplete, overdue }));
  }
}
