import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { RollupsService } from '@rt/domain';
import { WebViews } from '../views';
import { numberedPage, pageNumberOf } from '../web-pagination';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { DashboardTrends } from './dashboard-trends';
import { parseSort, requireDashboardRole, sortHeadings, sortPortfolio } from './dashboard.view-model';
import { trendView } from './trend-chart';
import { trendPeriod, trendPeriodOptions } from './trend-period';

/** Organisations a page: a national admin's thousand would otherwise be a megabyte of HTML. */
export const PORTFOLIO_PAGE_SIZE = 50;

/** The performance manager dashboard: the portfolio's organisations from the roll-ups, sortable, and its trend. */
@Injectable()
@WebPagesProvider()
export class DashboardWebController implements WebPages {
  constructor(
    private readonly rollups: RollupsService,
    private readonly trends: DashboardTrends,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [{ method: 'GET', url: '/dashboard', handler: (request, reply) => this.show(request, reply) }];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    requireDashboardRole(actor);
    const query = request.query as Record<string, unknown>;
    const { sort, order } = parseSort(query);
    const range = trendPeriod(query, this.rollups.today());
    // Organisation roll-ups are not paged: one item per organisation in scope.
    const [{ portfolio, organisations }, empty, trend] = await Promise.all([
      this.rollups.portfolioWithOrganisations(actor),
      this.rollups.organisationsWithoutFigures(actor),
      this.trends.portfolio(actor, range),
    ]);
    // Sorted whole (any column), then one page of it shown.
    const { rows, page, pages, pagination } = numberedPage(
      sortPortfolio([...organisations, ...empty], sort, order),
      pageNumberOf(query),
      PORTFOLIO_PAGE_SIZE,
      '/dashboard',
      { sort, order, period: typeof query.period === 'string' ? range.period : undefined },
    );
    return this.views.send(request, reply, 'dashboard/dashboard.njk', {
      rows,
      organisations: organisations.length + empty.length,
      page,
      pages,
      pagination,
      portfolio,
      headings: sortHeadings(sort, order),
      asOf: portfolio.asOf,
      date: portfolio.date,
      trend: trendView(trend, range),
      periodOptions: trendPeriodOptions(range.period),
      sort,
      order,
    });
  }
}
