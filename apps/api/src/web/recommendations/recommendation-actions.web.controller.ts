import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import {
  Actor,
  ActionsService,
  ActionView,
  DomainException,
  InspectionsService,
  RecommendationsService,
  RecommendationView,
  roleHas,
  UsersService,
  UserView,
} from '@rt/domain';
import { WebViews } from '../views';
import { PageNotFound } from '../web-errors';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { ASSIGN_FORM_ORDER, AssignForm, assignFormFrom, parseAssign, readAssignForm } from './assign-action.form';
import { datePartsInError } from '../date-input';
import { errorSummary } from '../error-summary';
import { formRefusal, uuidOf } from './form-fields';
import { allPages } from '../web-forms';
import {
  emptyNewActionForm,
  NEW_ACTION_FORM_ORDER,
  NewActionForm,
  parseNewAction,
  readNewActionForm,
} from './new-action.form';
import { mayAssign } from './recommendation.view-model';

interface FormState<F> {
  form: F;
  errors?: Record<string, string>;
  stale?: boolean;
}

/** A recommendation's action journeys: "Add an action" and "Assign" (a new owner for one of its actions). */
@Injectable()
@WebPagesProvider()
export class RecommendationActionsWebController implements WebPages {
  constructor(
    private readonly recommendations: RecommendationsService,
    private readonly actions: ActionsService,
    private readonly inspections: InspectionsService,
    private readonly users: UsersService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    const add = '/recommendations/:id/actions/new';
    const assign = '/recommendations/:id/actions/:actionId/assign';
    return [
      { method: 'GET', url: add, handler: (request, reply) => this.newAction(request, reply) },
      { method: 'POST', url: add, handler: (request, reply) => this.addAction(request, reply) },
      { method: 'GET', url: assign, handler: (request, reply) => this.assignForm(request, reply) },
      { method: 'POST', url: assign, handler: (request, reply) => this.assign(request, reply) },
    ];
  }

  private recommendation(request: SignedInRequest): Promise<RecommendationView> {
    const id = uuidOf((request.params as { id: string }).id);
    if (!id) throw new PageNotFound();
    return this.recommendations.get(request.actor, id);
  }

  /** The recommendation and one of its actions (any other action's id is not found here). */
  private async recommendationAndAction(request: SignedInRequest) {
    const recommendation = await this.recommendation(request);
    const actionId = uuidOf((request.params as { actionId: string }).actionId);
    if (!actionId) throw new PageNotFound();
    const action = await this.actions.get(request.actor, actionId);
    if (action.recommendationId !== recommendation.id) throw new PageNotFound();
    return { recommendation, action };
  }

  /** Who may own an action of the organisation: its active senior managers (the service checks it again). */
  private owners(actor: Actor, organisationId: string): Promise<UserView[]> {
    return allPages((cursor) =>
      this.users.list(actor, { organisationId, role: 'senior_manager', active: true }, { limit: 200, cursor }),
    );
  }

  // ---- Add an action ------------------------------------------------------------------------------------------

  private async newAction(request: SignedInRequest, reply: FastifyReply) {
    if (!roleHas(request.actor.role, 'actions:create')) throw new PageNotFound();
    const recommendation = await this.recommendation(request);
    const owners = await this.owners(request.actor, recommendation.ownerOrganisationId);
    return this.renderNew(request, reply, recommendation, owners, { form: emptyNewActionForm() });
  }

  private async addAction(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    if (!roleHas(actor.role, 'actions:create')) throw new PageNotFound();
    const recommendation = await this.recommendation(request);
    const owners = await this.owners(actor, recommendation.ownerOrganisationId);
    const form = readNewActionForm(request.body);
    const ownerIds = owners.map((o) => o.id);
    const parsed = parseNewAction(form, ownerIds);
    if (!parsed.ok) {
      const state = { form, errors: parsed.errors };
      return this.renderNew(request, reply, recommendation, owners, state, 400);
    }
    try {
      await this.actions.create(actor, recommendation.id, parsed.input);
    } catch (error) {
      const refusal = formRefusal(error);
      if (!refusal) throw error;
      const state = { form, errors: refusal.errors };
      return this.renderNew(request, reply, recommendation, owners, state, refusal.status);
    }
    request.session.flash = `Action added: ${parsed.input.title}`;
    return reply.redirect(`/recommendations/${recommendation.id}`, 303);
  }

  private async renderNew(
    request: SignedInRequest,
    reply: FastifyReply,
    recommendation: RecommendationView,
    owners: UserView[],
    state: FormState<NewActionForm>,
    status = 200,
  ) {
    const inspection = await this.inspections.get(request.actor, recommendation.inspectionId);
    const errors = state.errors ?? {};
    const dateParts = datePartsInError(state.form, errors, ['dueDate']);
    return this.views.send(
      request,
      reply,
      'recommendations/new-action.njk',
      {
        recommendation,
        inspection,
        owners: owners.map((o) => ({ value: o.id, text: o.name })),
        form: state.form,
        errors,
        dateParts,
        errorList: errorSummary(errors, NEW_ACTION_FORM_ORDER, { dates: dateParts }),
      },
      status,
    );
  }

  // ---- Assign ---------------------------------------------------------------------------------------------------

  private async assignForm(request: SignedInRequest, reply: FastifyReply) {
    const { recommendation, action } = await this.recommendationAndAction(request);
    if (!mayAssign(request.actor.role, action)) throw new PageNotFound();
    return this.renderAssign(request, reply, recommendation, action, { form: assignFormFrom(action) });
  }

  private async assign(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    if (!roleHas(actor.role, 'actions:update')) throw new PageNotFound();
    const { recommendation, action } = await this.recommendationAndAction(request);
    const form = readAssignForm(request.body);
    if (form.version !== String(action.version)) return this.staleAssign(request, reply, recommendation, action, form);
    const owners = await this.owners(actor, action.organisationId);
    const ownerIds = owners.map((o) => o.id);
    const parsed = parseAssign(form, action, ownerIds);
    if (!parsed.ok) {
      return this.renderAssign(request, reply, recommendation, action, { form, errors: parsed.errors }, 400, owners);
    }
    try {
      await this.actions.update(actor, action.id, parsed.version, parsed.input);
    } catch (error) {
      if (error instanceof DomainException && error.code === 'stale') {
        const latest = await this.actions.get(actor, action.id);
        return this.staleAssign(request, reply, recommendation, latest, form);
      }
      const refusal = formRefusal(error);
      if (!refusal) throw error;
      const state = { form, errors: refusal.errors };
      return this.renderAssign(request, reply, recommendation, action, state, refusal.status, owners);
    }
    const owner = owners.find((o) => o.id === parsed.input.ownerId);
    request.session.flash = `${action.title} is now owned by ${owner?.name ?? 'the person you chose'}`;
    return reply.redirect(`/recommendations/${recommendation.id}`, 303);
  }

  /** Someone changed the action first: show it as it is now, keep the user's choice, and ask them to check. */
  private staleAssign(
    request: SignedInRequest,
    reply: FastifyReply,
    recommendation: RecommendationView,
    latest: ActionView,
    form: AssignForm,
  ) {
    const state = { form: { ...form, version: String(latest.version) }, stale: true };
    return this.renderAssign(request, reply, recommendation, latest, state, 409);
  }

  private async renderAssign(
    request: SignedInRequest,
    reply: FastifyReply,
    recommendation: RecommendationView,
    action: ActionView,
    state: FormState<AssignForm>,
    status = 200,
    knownOwners?: UserView[],
  ) {
    const actor = request.actor;
    const [inspection, owners, currentOwner] = await Promise.all([
      this.inspections.get(actor, recommendation.inspectionId),
      knownOwners ?? this.owners(actor, action.organisationId),
      action.ownerId ? this.users.get(actor, action.ownerId).catch(() => null) : Promise.resolve(null),
    ]);
    const errors = state.errors ?? {};
    return this.views.send(
      request,
      reply,
      'recommendations/assign.njk',
      {
        recommendation,
        inspection,
        action,
        currentOwner,
        owners: owners.map((o) => ({ value: o.id, text: o.name })),
        form: state.form,
        errors,
        errorList: errorSummary(errors, ASSIGN_FORM_ORDER),
        stale: state.stale ?? false,
      },
      status,
    );
  }
}
