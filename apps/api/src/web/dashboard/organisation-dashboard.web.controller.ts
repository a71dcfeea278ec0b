import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { FastifyReply } from 'fastify';
import { OrganisationsService, RollupsService } from '@rt/domain';
import { WebViews } from '../views';
import { PageNotFound } from '../web-errors';
import { CursorPages } from '../web-pagination';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { DashboardTrends } from './dashboard-trends';
import { requireDashboardRole } from './dashboard.view-model';
import { trendView } from './trend-chart';
import { trendPeriod, trendPeriodOptions } from './trend-period';

export const ORGANISATION_INSPECTIONS_PAGE_SIZE = 20;

/** One organisation of the portfolio: its figures, its inspections' progress, and its trend. */
@Injectable()
@WebPagesProvider()
export class OrganisationDashboardWebController implements WebPages {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly rollups: RollupsService,
    private readonly trends: DashboardTrends,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/dashboard/organisations/:id', handler: (request, reply) => this.show(request, reply) },
    ];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    requireDashboardRole(actor);
    const { id } = request.params as { id: string };
    if (!isUUID(id, 'all')) throw new PageNotFound();
    // Out of the portfolio: the domain answers not found, and so the 404 page.
    const organisation = await this.organisations.get(actor, id.toLowerCase());
    const query = request.query as Record<string, unknown>;
    const range = trendPeriod(query, this.rollups.today());
    const pages = new CursorPages(query);
    const filter = { organisationId: organisation.id };
    const [figures, inspections, trend] = await Promise.all([
      this.rollups.list(actor, 'organisation', filter),
      pages.load((cursor) =>
        this.rollups.list(actor, 'inspection', filter, { limit: ORGANISATION_INSPECTIONS_PAGE_SIZE, cursor }),
      ),
      this.trends.organisation(actor, organisation.id, range),
    ]);
    const path = `/dashboard/organisations/${organisation.id}`;
    return this.views.send(request, reply, 'dashboard/organisation.njk', {
      organisation,
      figures: figures.items[0] ?? null,
      asOf: figures.asOf < inspections.asOf ? figures.asOf : inspections.asOf,
      date: figures.date,
      inspections: inspections.items,
      pagination: pages.links(path, { period: query.period ? range.period : undefined }, inspections.nextCursor),
      trend: trendView(trend, range),
      periodOptions: trendPeriodOptions(range.period),
      path,
    });
  }
}
