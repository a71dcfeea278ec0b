import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { HandoversService, OrganisationsService } from '@rt/domain';
import { WebViews } from '../../views';
import { CursorPages } from '../../web-pagination';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../../web-route';
import { byName, idParam, organisationNames, requireAdmin } from '../admin-form';
import { takeFlash } from '../../web-forms';
import { LABELS } from '../admin-labels';

export const HANDOVERS_PAGE_SIZE = 20;

/** Admin: past hand-overs, newest first, and one hand-over's page (also its confirmation page). */
@Injectable()
@WebPagesProvider()
export class HandoversWebController implements WebPages {
  constructor(
    private readonly handovers: HandoversService,
    private readonly organisations: OrganisationsService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/admin/handovers', handler: (rq, rp) => this.list(rq, rp) },
      { method: 'GET', url: '/admin/handovers/:id', handler: (rq, rp) => this.show(rq, rp, false) },
      { method: 'GET', url: '/admin/handovers/:id/confirmation', handler: (rq, rp) => this.show(rq, rp, true) },
    ];
  }

  private async list(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const pages = new CursorPages(request.query as Record<string, unknown>);
    const page = await pages.load((cursor) => this.handovers.list(actor, {}, { limit: HANDOVERS_PAGE_SIZE, cursor }));
    const names = await organisationNames(
      this.organisations,
      actor,
      page.items.flatMap((h) => [...h.predecessorIds, ...h.successorIds]),
    );
    const named = (ids: string[]) => ids.map((id) => ({ id, name: names.get(id) ?? id })).sort(byName);
    return this.views.send(request, reply, 'admin/handovers/list.njk', {
      rows: page.items.map((h) => ({
        ...h,
        kindLabel: LABELS.handoverKind[h.kind],
        predecessors: named(h.predecessorIds),
        successors: named(h.successorIds),
      })),
      inProgress: !!request.session.handoverWizard,
      pagination: pages.links('/admin/handovers', {}, page.nextCursor),
      flash: takeFlash(request),
    });
  }

  private async show(request: SignedInRequest, reply: FastifyReply, confirmation: boolean) {
    const actor = requireAdmin(request);
    const handover = await this.handovers.get(actor, idParam(request));
    const names = await organisationNames(this.organisations, actor, [
      ...handover.predecessorIds,
      ...handover.successorIds,
    ]);
    const name = (id: string) => names.get(id) ?? id;
    return this.views.send(request, reply, 'admin/handovers/show.njk', {
      handover: {
        ...handover,
        kindLabel: LABELS.handoverKind[handover.kind],
        predecessors: handover.predecessorIds.map((id) => ({ id, name: name(id) })).sort(byName),
        successors: handover.successorIds.map((id) => ({ id, name: name(id) })).sort(byName),
      },
      moves: handover.moves.map((m) => ({
        ...m,
        fromName: name(m.fromOrganisationId),
        toName: name(m.toOrganisationId),
      })),
      unassigned: handover.unassigned.map((u) => ({ ...u, organisationName: name(u.organisationId) })),
      staying: handover.staying.map((s) => ({
        ...s,
        organisationName: name(s.organisationId),
        statusLabel: LABELS.recommendationStatus[s.status] ?? s.status,
      })),
      confirmation,
      flash: takeFlash(request),
    });
  }
}
