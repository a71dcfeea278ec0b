import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ActionPlansService, InspectionsService } from '@rt/domain';
import { uuidOf } from '../recommendations/form-fields';
import { allPages } from '../web-forms';
import { WebViews } from '../views';
import { PageNotFound } from '../web-errors';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { findingLists, mayImport, recommendationRow, reportHref } from './inspection.view-model';

/** The inspection id from the path; anything but a UUID is the 404 page. */
export function inspectionIdOf(request: SignedInRequest): string {
  const id = uuidOf((request.params as { id: string }).id);
  if (!id) throw new PageNotFound();
  return id;
}

/** An inspection: what was inspected, the report's findings, and its recommendations' progress. */
@Injectable()
@WebPagesProvider()
export class InspectionWebController implements WebPages {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly plans: ActionPlansService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [{ method: 'GET', url: '/inspections/:id', handler: (request, reply) => this.show(request, reply) }];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    const id = inspectionIdOf(request);
    const plan = await this.plans.forInspection(actor, id);
    const findings = await allPages((cursor) => this.inspections.listFindings(actor, id, { limit: 200, cursor }));
    const references = new Map(plan.recommendations.map((r) => [r.id, r.reference]));
    return this.views.send(request, reply, 'inspections/inspection.njk', {
      inspection: { ...plan.inspection, reportUrl: reportHref(plan.inspection.reportUrl) },
      asOfDate: plan.asOfDate,
      findings: findingLists(findings, references),
      recommendations: plan.recommendations.map(recommendationRow),
      canImport: mayImport(actor, plan.inspection.organisation.id),
    });
  }
}
