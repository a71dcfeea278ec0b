import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { Actor, InspectionsService, InspectionView } from '@rt/domain';
import { WebViews } from '../../views';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../../web-route';
import { FormErrors, idParam, refusalErrors, requireAdmin } from '../admin-form';
import { takeFlash } from '../../web-forms';
import { findingErrorSummary, FindingForm, parseFinding, readFindingForm } from './inspection.form';

const FINDINGS_SHOWN = 200;

/** Admin: an inspection's findings so far, and adding a strength or concern. */
@Injectable()
@WebPagesProvider()
export class FindingsWebController implements WebPages {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/admin/inspections/:id/findings', handler: (rq, rp) => this.show(rq, rp) },
      { method: 'POST', url: '/admin/inspections/:id/findings', handler: (rq, rp) => this.add(rq, rp) },
    ];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const inspection = await this.inspections.get(actor, idParam(request));
    return this.render(request, reply, actor, inspection, readFindingForm({}));
  }

  private async add(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const inspection = await this.inspections.get(actor, idParam(request));
    const form = readFindingForm(request.body);
    const parsed = await parseFinding(form);
    if (!parsed.ok) return this.render(request, reply, actor, inspection, form, parsed.errors, 400);
    try {
      await this.inspections.addFinding(actor, inspection.id, parsed.input);
    } catch (error) {
      const errors = refusalErrors(error, 'text');
      if (!errors) throw error;
      return this.render(request, reply, actor, inspection, form, errors, 400);
    }
    request.session.flash = parsed.input.kind === 'strength' ? 'Strength added' : 'Concern added';
    return reply.redirect(`/admin/inspections/${inspection.id}/findings`, 303);
  }

  private async render(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: Actor,
    inspection: InspectionView,
    form: FindingForm,
    errors: FormErrors = {},
    status = 200,
  ) {
    const findings = await this.inspections.listFindings(actor, inspection.id, { limit: FINDINGS_SHOWN });
    return this.views.send(
      request,
      reply,
      'admin/inspections/findings.njk',
      {
        inspection,
        strengths: findings.items.filter((f) => f.kind === 'strength'),
        concerns: findings.items.filter((f) => f.kind === 'concern'),
        form,
        errors,
        errorList: findingErrorSummary(errors),
        flash: takeFlash(request),
      },
      status,
    );
  }
}
