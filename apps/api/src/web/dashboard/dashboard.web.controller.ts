import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { RollupsService } from '@rt/domain';
import { WebViews } from '../views';
import { PageNotFound } from '../web-errors';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { DASHBOARD_ROLES, parseSort, sortHeadings, sortPortfolio } from './dashboard.view-model';

/** The performance manager dashboard: the portfolio's organisations from the roll-ups, sortable by any column. */
@Injectable()
@WebPagesProvider()
export class DashboardWebController implements WebPages {
  constructor(
    private readonly rollups: RollupsService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [{ method: 'GET', url: '/dashboard', handler: (request, reply) => this.show(request, reply) }];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    if (!DASHBOARD_ROLES.includes(actor.role)) throw new PageNotFound();
    const { sort, order } = parseSort(request.query as Record<string, unknown>);
    // Organisation roll-ups are not paged: one item per organisation in scope.
    const [list, portfolio] = await Promise.all([
      this.rollups.list(actor, 'organisation', {}),
      this.rollups.portfolio(actor),
    ]);
    return this.views.send(request, reply, 'dashboard/dashboard.njk', {
      rows: sortPortfolio(list.items, sort, order),
      portfolio,
      headings: sortHeadings(sort, order),
      // The older of the two reads: every change before it is in every figure on the page.
      asOf: list.asOf < portfolio.asOf ? list.asOf : portfolio.asOf,
      date: list.date,
    });
  }
}
