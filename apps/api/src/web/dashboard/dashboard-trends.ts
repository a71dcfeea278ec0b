import { Injectable } from '@nestjs/common';
import { Actor, RollupsService } from '@rt/domain';
import { TrendPoint, TrendRange } from './trend-chart';

/** The trend figures the dashboard draws, read from RollupsService.trend within the actor's scope. */
@Injectable()
export class DashboardTrends {
  constructor(private readonly rollups: RollupsService) {}

  /** The whole portfolio: every organisation in scope added up per day, in one read. */
  async portfolio(actor: Actor, range: TrendRange): Promise<TrendPoint[]> {
    const points = await this.rollups.portfolioTrend(actor, range.from, range.to);
    return points.map(({ date, percentComplete, overdue }) => ({ date, percentComplete, overdue }));
  }

  async organisation(actor: Actor, organisationId: string, range: TrendRange): Promise<TrendPoint[]> {
    const trend = await this.rollups.trend(actor, 'organisation', organisationId, range.from, range.to);
    return trend.points.map(({ date, percentComplete, overdue }) => ({ date, percentComplete, overdue }));
  }
}
