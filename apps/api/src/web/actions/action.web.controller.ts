import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { FastifyReply } from 'fastify';
import {
  ActionsService,
  ActionView,
  DomainException,
  InspectionsService,
  RecommendationsService,
  roleHas,
  THEMES,
  UsersService,
} from '@rt/domain';
import { WebViews } from '../views';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { PageNotFound } from '../web-errors';
import { breadcrumbHome, ragTag, timelineItem } from './action.view-model';
import {
  ActionUpdateForm,
  domainErrorsToForm,
  actionUpdateDateParts,
  actionUpdateErrorSummary,
  formFromAction,
  parseActionUpdate,
  readActionUpdateForm,
  updateChoices,
} from './action-update.form';
import { takeFlash } from '../web-forms';

const HISTORY_LIMIT = 100;

function actionId(id: string): string {
  if (!isUUID(id, 'all')) throw new PageNotFound();
  return id.toLowerCase();
}

/**
 * The action page: what it is, what it serves, its history, and the "Update progress" form offering only what the
 * domain lets this actor change on this action.
 */
@Injectable()
@WebPagesProvider()
export class ActionWebController implements WebPages {
  constructor(
    private readonly actions: ActionsService,
    private readonly recommendations: RecommendationsService,
    private readonly inspections: InspectionsService,
    private readonly users: UsersService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/actions/:id', handler: (request, reply) => this.show(request, reply) },
      { method: 'POST', url: '/actions/:id', handler: (request, reply) => this.update(request, reply) },
    ];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const { id } = request.params as { id: string };
    const action = await this.actions.get(request.actor, actionId(id));
    const flash = takeFlash(request);
    return this.render(request, reply, action, { form: formFromAction(action), flash });
  }

  private async update(request: SignedInRequest, reply: FastifyReply) {
    const { id } = request.params as { id: string };
    const body = request.body;
    const actor = request.actor;
    const current = await this.actions.get(actor, actionId(id));
    const form = readActionUpdateForm(body);
    if (!roleHas(actor.role, 'actions:update')) {
      return this.render(request, reply, current, { form, errors: { status: 'Your role cannot update actions' } }, 403);
    }
    if (form.version !== String(current.version)) return this.stale(request, reply, current, form);

    const parsed = parseActionUpdate(form, current, updateChoices(actor.role, current));
    if (!parsed.ok) return this.render(request, reply, current, { form, errors: parsed.errors }, 400);
    try {
      await this.actions.update(actor, current.id, parsed.version, parsed.input);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      if (error.code === 'stale') {
        return this.stale(request, reply, await this.actions.get(actor, current.id), form);
      }
      if (error.code === 'rule_violated' || error.code === 'invalid' || error.code === 'malformed') {
        const errors = error.errors.length ? domainErrorsToForm(error.errors) : { status: error.message };
        return this.render(request, reply, current, { form, errors }, 422);
      }
      throw error;
    }
    request.session.flash = 'Action updated';
    return reply.redirect(`/actions/${current.id}`, 303);
  }

  /** Someone saved first: show the action as it is now, keep everything the user typed, and ask them to check. */
  private stale(request: SignedInRequest, reply: FastifyReply, latest: ActionView, form: ActionUpdateForm) {
    return this.render(
      request,
      reply,
      latest,
      { form: { ...form, version: String(latest.version) }, stale: true },
      409,
    );
  }

  private async render(
    request: SignedInRequest,
    reply: FastifyReply,
    action: ActionView,
    context: {
      form: ActionUpdateForm;
      errors?: Record<string, string>;
      stale?: boolean;
      flash?: string;
    },
    status = 200,
  ) {
    const actor = request.actor;
    const [recommendation, inspection, history, owner] = await Promise.all([
      this.recommendations.get(actor, action.recommendationId),
      this.inspections.get(actor, action.inspectionId),
      this.actions.history(actor, action.id, { limit: HISTORY_LIMIT }),
      action.ownerId ? this.users.get(actor, action.ownerId).catch(() => null) : Promise.resolve(null),
    ]);
    const errors = context.errors ?? {};
    const dateParts = actionUpdateDateParts(context.form, errors);
    return this.views.send(
      request,
      reply,
      'actions/action.njk',
      {
        action: { ...action, ragTag: ragTag(action.rag) },
        recommendation: { ...recommendation, themeLabel: THEMES[recommendation.theme] },
        inspection,
        owner,
        timeline: history.items.map(timelineItem),
        home: breadcrumbHome(actor.role),
        choices: updateChoices(actor.role, action),
        form: context.form,
        errors,
        dateParts,
        errorList: actionUpdateErrorSummary(errors, dateParts),
        stale: context.stale ?? false,
        flash: context.flash,
      },
      status,
    );
  }
}
