import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import {
  ActionPlansService,
  DomainException,
  InspectionsService,
  RecommendationsService,
  RecommendationView,
  roleHas,
} from '@rt/domain';
import { WebViews } from '../views';
import { PageNotFound } from '../web-errors';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { errorSummary } from '../error-summary';
import { formRefusal, uuidOf } from './form-fields';
import {
  parseResponse,
  readResponseForm,
  RESPONSE_FORM_ORDER,
  RESPONSE_OPTIONS,
  ResponseForm,
  responseFormFrom,
} from './recommendation-response.form';
import { actionRow, recommendationDetails } from './recommendation.view-model';
import { takeFlash } from '../web-forms';

/** The recommendation page (details, progress, actions) and its "Edit response" form. */
@Injectable()
@WebPagesProvider()
export class RecommendationWebController implements WebPages {
  constructor(
    private readonly recommendations: RecommendationsService,
    private readonly plans: ActionPlansService,
    private readonly inspections: InspectionsService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/recommendations/:id', handler: (request, reply) => this.show(request, reply) },
      {
        method: 'GET',
        url: '/recommendations/:id/response',
        handler: (request, reply) => this.editResponse(request, reply),
      },
      {
        method: 'POST',
        url: '/recommendations/:id/response',
        handler: (request, reply) => this.saveResponse(request, reply),
      },
    ];
  }

  private load(request: SignedInRequest): Promise<RecommendationView> {
    const id = uuidOf((request.params as { id: string }).id);
    if (!id) throw new PageNotFound();
    return this.recommendations.get(request.actor, id);
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    const recommendation = await this.load(request);
    // The action plan holds the recommendation's actions with their owners' names and RAG.
    const plan = await this.plans.forInspection(actor, recommendation.inspectionId);
    const planned = plan.recommendations.find((r) => r.id === recommendation.id);
    if (!planned) throw new PageNotFound();
    const flash = takeFlash(request);
    return this.views.send(request, reply, 'recommendations/recommendation.njk', {
      recommendation: recommendationDetails(recommendation, planned.ownerOrganisation.name),
      inspection: plan.inspection,
      actions: planned.actions.map((a) => actionRow(a, actor.role)),
      canRespond: roleHas(actor.role, 'recommendations:update'),
      canAddAction: roleHas(actor.role, 'actions:create') && recommendation.status !== 'not_accepted',
      flash,
    });
  }

  private async editResponse(request: SignedInRequest, reply: FastifyReply) {
    if (!roleHas(request.actor.role, 'recommendations:update')) throw new PageNotFound();
    const recommendation = await this.load(request);
    return this.renderResponse(request, reply, recommendation, { form: responseFormFrom(recommendation) });
  }

  private async saveResponse(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    if (!roleHas(actor.role, 'recommendations:update')) throw new PageNotFound();
    const current = await this.load(request);
    const form = readResponseForm(request.body);
    if (form.version !== String(current.version)) return this.stale(request, reply, current, form);
    const parsed = parseResponse(form);
    if (!parsed.ok) return this.renderResponse(request, reply, current, { form, errors: parsed.errors }, 400);
    try {
      await this.recommendations.update(actor, current.id, parsed.version, parsed.input);
    } catch (error) {
      if (error instanceof DomainException && error.code === 'stale') {
        return this.stale(request, reply, await this.recommendations.get(actor, current.id), form);
      }
      const refusal = formRefusal(error);
      if (!refusal) throw error;
      return this.renderResponse(request, reply, current, { form, errors: refusal.errors }, refusal.status);
    }
    request.session.flash = 'Response saved';
    return reply.redirect(`/recommendations/${current.id}`, 303);
  }

  /** Someone saved first: show the response as it is now, keep what the user typed, and ask them to check. */
  private stale(request: SignedInRequest, reply: FastifyReply, latest: RecommendationView, form: ResponseForm) {
    const kept = { ...form, version: String(latest.version) };
    return this.renderResponse(request, reply, latest, { form: kept, stale: true }, 409);
  }

  private async renderResponse(
    request: SignedInRequest,
    reply: FastifyReply,
    recommendation: RecommendationView,
    context: { form: ResponseForm; errors?: Record<string, string>; stale?: boolean },
    status = 200,
  ) {
    const inspection = await this.inspections.get(request.actor, recommendation.inspectionId);
    const errors = context.errors ?? {};
    return this.views.send(
      request,
      reply,
      'recommendations/response.njk',
      {
        recommendation: recommendationDetails(recommendation, ''),
        inspection,
        form: context.form,
        responseOptions: RESPONSE_OPTIONS,
        errors,
        errorList: errorSummary(errors, RESPONSE_FORM_ORDER),
        stale: context.stale ?? false,
      },
      status,
    );
  }
}
