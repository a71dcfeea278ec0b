import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { FastifyReply } from 'fastify';
import { ActionFilter, ActionsService, DomainException, MAX_PAGE_SIZE, OrganisationsService } from '@rt/domain';
import { WebViews } from '../views';
import { CursorPages } from '../web-pagination';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { DashboardActionRows } from './dashboard-action-rows';
import { requireDashboardRole } from './dashboard.view-model';

export const OVERDUE_PAGE_SIZE = 20;

/** Overdue actions across the portfolio, oldest due date first, optionally for one organisation. */
@Injectable()
@WebPagesProvider()
export class OverdueWebController implements WebPages {
  constructor(
    private readonly actions: ActionsService,
    private readonly organisations: OrganisationsService,
    private readonly actionRows: DashboardActionRows,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [{ method: 'GET', url: '/dashboard/overdue', handler: (request, reply) => this.show(request, reply) }];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    requireDashboardRole(actor);
    const query = request.query as Record<string, unknown>;
    const [organisations, chosen] = await Promise.all([
      this.organisations.list(actor, {}, { limit: MAX_PAGE_SIZE }),
      this.chosenOrganisation(request),
    ]);
    const filter: ActionFilter = { overdue: true, organisationId: chosen?.id };
    const pages = new CursorPages(query);
    const [page, counts] = await Promise.all([
      pages.load((cursor) => this.actions.list(actor, filter, { limit: OVERDUE_PAGE_SIZE, cursor })),
      this.actions.countByDueState(actor, filter),
    ]);
    return this.views.send(request, reply, 'dashboard/overdue.njk', {
      rows: await this.actionRows.rows(actor, page.items),
      total: counts.overdue,
      chosen,
      organisationOptions: [
        { value: '', text: 'All organisations', selected: !chosen },
        ...organisations.items.map((o) => ({ value: o.id, text: o.name, selected: o.id === chosen?.id })),
        // A choice beyond the first page of organisations (an admin's) is still shown as chosen.
        ...(chosen && !organisations.items.some((o) => o.id === chosen.id)
          ? [{ value: chosen.id, text: chosen.name, selected: true }]
          : []),
      ],
      pagination: pages.links('/dashboard/overdue', { organisation: chosen?.id }, page.nextCursor),
    });
  }

  /** The organisation chosen in the filter, if it is one the user sees; anything else means every organisation. */
  private async chosenOrganisation(request: SignedInRequest) {
    const { organisation } = request.query as { organisation?: unknown };
    if (typeof organisation !== 'string' || !isUUID(organisation, 'all')) return undefined;
    try {
      return await this.organisations.get(request.actor, organisation.toLowerCase());
    } catch (error) {
      if (error instanceof DomainException && error.code === 'not_found') return undefined;
      throw error;
    }
  }
}
