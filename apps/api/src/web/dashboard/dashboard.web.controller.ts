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
    const [list, empty, portfolio, trend] = await Promise.all([
      this.rollups.list(actor, 'organisation', {}),
      this.rollups.organisationsWithoutFigures(actor),
      this.rollups.portfolio(actor),
      this.trends.portfolio(actor, range),
    ]);
    // Sorted whole (any column), then one page of it shown.
    const { rows, page, pages, pagination } = numberedPage(
      sortPortfolio([...list.items, ...empty], sort, order),
      pageNumberOf(query),
      PORTFOLIO_PAGE_SIZE,
      '/dashboard',
      { sort, order, period: typeof query.period === 'string' ? range.period : undefined },
    );
    return this.views.send(request, reply, 'dashboard/dashboard.njk', {
      rows,
      organisations: list.items.length + empty.length,
      page,
      pages,
      pagination,
      portfolio,
      headings: sortHeadings(sort, order),
      // The older of the two reads: every change before it is in every figure on the page.
      asOf: list.asOf < portfolio.asOf ? list.asOf : portfolio.asOf,
      date: list.date,
      trend: trendView(trend, range),
      periodOptions: trendPeriodOptions(range.period),
      sort,
      order,
    });
  }
}
