import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { FastifyReply } from 'fastify';
import type IORedis from 'ioredis';
import { AppConfig } from '@rt/config';
import {
  Actor,
  DomainException,
  HandoverPlanView,
  HandoversService,
  InspectionsService,
  OrganisationsService,
  RecommendationsService,
} from '@rt/domain';
import { WebViews } from '../../views';
import { WEB_REDIS } from '../../web-redis';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../../web-route';
import { allOrganisations, FormErrors, organisationNames, ownsRecommendations, requireAdmin } from '../admin-form';
import { readFields, values } from '../../web-forms';
import { LABELS } from '../admin-labels';
import { handoverCheckView } from './handover-check.view-model';
import {
  allocationErrorSummary,
  allocationField,
  allocationShown,
  handoverInput,
  HandoverWizardState,
  parseAllocations,
  parseStart,
  parseSuccessors,
  readStartForm,
  StartForm,
  startDateParts,
  startErrorSummary,
  startFormFrom,
  withStart,
} from './handover-wizard';

const BASE = '/admin/handovers/new';
/** How long a confirmed hand-over's claim is kept: long enough for any resubmission of the same page. */
const CLAIM_SECONDS = 24 * 3600;

interface OpenRecommendation {
  id: string;
  reference: string;
  text: string;
  inspectionTitle: string;
  fromName: string;
}

/**
 * The hand-over wizard, one GET+POST page per step, no JavaScript needed: (a) who hands over, when and how,
 * (b) who takes over, (c) which successor takes each open recommendation, (d) check the answers against the
 * service's dry run, then confirm; (e) the confirmation page is HandoversWebController's.
 */
@Injectable()
@WebPagesProvider()
export class HandoverWizardWebController implements WebPages {
  constructor(
    private readonly handovers: HandoversService,
    private readonly organisations: OrganisationsService,
    private readonly recommendations: RecommendationsService,
    private readonly inspections: InspectionsService,
    private readonly views: WebViews,
    private readonly config: AppConfig,
    @Inject(WEB_REDIS) private readonly redis: IORedis,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: BASE, handler: (rq, rp) => this.start(rq, rp) },
      { method: 'POST', url: BASE, handler: (rq, rp) => this.saveStart(rq, rp) },
      { method: 'GET', url: `${BASE}/successors`, handler: (rq, rp) => this.successors(rq, rp) },
      { method: 'POST', url: `${BASE}/successors`, handler: (rq, rp) => this.saveSuccessors(rq, rp) },
      { method: 'GET', url: `${BASE}/allocations`, handler: (rq, rp) => this.allocations(rq, rp) },
      { method: 'POST', url: `${BASE}/allocations`, handler: (rq, rp) => this.saveAllocations(rq, rp) },
      { method: 'GET', url: `${BASE}/check`, handler: (rq, rp) => this.check(rq, rp) },
      { method: 'POST', url: `${BASE}/check`, handler: (rq, rp) => this.confirm(rq, rp) },
      { method: 'POST', url: `${BASE}/cancel`, handler: (rq, rp) => this.cancel(rq, rp) },
    ];
  }

  // ---- (a) ----

  private async start(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    return this.renderStart(request, reply, actor, startFormFrom(request.session.handoverWizard));
  }

  private async saveStart(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const form = readStartForm(request.body);
    const choices = (await allOrganisations(this.organisations, actor)).filter(ownsRecommendations);
    const parsed = parseStart(form, new Set(choices.map((o) => o.id)));
    if (!parsed.ok) return this.renderStart(request, reply, actor, form, parsed.errors, 400);
    request.session.handoverWizard = withStart(request.session.handoverWizard, parsed.value, randomUUID());
    return reply.redirect(`${BASE}/successors`, 303);
  }

  private async renderStart(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: Actor,
    form: StartForm,
    errors: FormErrors = {},
    status = 200,
  ) {
    const choices = (await allOrganisations(this.organisations, actor)).filter(ownsRecommendations);
    const dateParts = startDateParts(form, errors);
    return this.views.send(
      request,
      reply,
      'admin/handovers/wizard-start.njk',
      {
        form,
        errors,
        dateParts,
        errorList: startErrorSummary(errors, dateParts),
        predecessorOptions: choices.map((o) => ({
          value: o.id,
          text: o.name,
          hint: `${LABELS.kind[o.kind]}, ${LABELS.region[o.region]}${o.status === 'dissolved' ? ', dissolved' : ''}`,
          checked: form.fromOrganisationIds.includes(o.id),
        })),
        kindOptions: Object.entries(LABELS.handoverKind).map(([value, text]) => ({
          value,
          text,
          chosen: value === form.kind,
        })),
        inProgress: !!request.session.handoverWizard,
      },
      status,
    );
  }

  // ---- (b) ----

  private async successors(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const state = request.session.handoverWizard;
    if (!state) return reply.redirect(BASE, 303);
    return this.renderSuccessors(request, reply, actor, state, state.successorIds);
  }

  private async saveSuccessors(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const state = request.session.handoverWizard;
    if (!state) return reply.redirect(BASE, 303);
    const chosen = values(request.body, 'successorIds');
    const choices = await this.successorChoices(actor, state);
    const parsed = parseSuccessors(chosen, new Set(choices.map((o) => o.id)));
    if (!parsed.ok) return this.renderSuccessors(request, reply, actor, state, chosen, parsed.errors, 400);
    request.session.handoverWizard = { ...state, successorIds: parsed.value };
    return reply.redirect(`${BASE}/allocations`, 303);
  }

  /** Active organisations that own recommendations and are not handing over. */
  private async successorChoices(actor: Actor, state: HandoverWizardState) {
    return (await allOrganisations(this.organisations, actor)).filter(
      (o) => ownsRecommendations(o) && o.status === 'active' && !state.fromOrganisationIds.includes(o.id),
    );
  }

  private async renderSuccessors(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: Actor,
    state: HandoverWizardState,
    chosen: string[],
    errors: FormErrors = {},
    status = 200,
  ) {
    const [choices, names] = await Promise.all([
      this.successorChoices(actor, state),
      organisationNames(this.organisations, actor, state.fromOrganisationIds),
    ]);
    return this.views.send(
      request,
      reply,
      'admin/handovers/wizard-successors.njk',
      {
        predecessors: state.fromOrganisationIds.map((id) => names.get(id) ?? id),
        errors,
        errorList: Object.entries(errors).map(([, text]) => ({ href: '#successorIds', text })),
        successorOptions: choices.map((o) => ({
          value: o.id,
          text: o.name,
          hint: `${LABELS.kind[o.kind]}, ${LABELS.region[o.region]}`,
          checked: chosen.includes(o.id),
        })),
      },
      status,
    );
  }

  // ---- (c) ----

  private async allocations(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const state = request.session.handoverWizard;
    if (!state) return reply.redirect(BASE, 303);
    if (state.successorIds.length === 0) return reply.redirect(`${BASE}/successors`, 303);
    const open = await this.openRecommendations(actor, state);
    const chosen = Object.fromEntries(open.map((r) => [r.id, allocationShown(state, r.id)]));
    return this.renderAllocations(request, reply, actor, state, open, chosen);
  }

  private async saveAllocations(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const state = request.session.handoverWizard;
    if (!state) return reply.redirect(BASE, 303);
    if (state.successorIds.length === 0) return reply.redirect(`${BASE}/successors`, 303);
    const open = await this.openRecommendations(actor, state);
    const parsed = parseAllocations(request.body, open, state.successorIds);
    if (!parsed.ok) {
      const fields = readFields(
        request.body,
        open.map((r) => allocationField(r.id)),
      );
      const chosen = Object.fromEntries(open.map((r) => [r.id, fields[allocationField(r.id)]]));
      return this.renderAllocations(request, reply, actor, state, open, chosen, parsed.errors, 400);
    }
    request.session.handoverWizard = { ...state, allocations: parsed.value };
    return reply.redirect(`${BASE}/check`, 303);
  }

  /**
   * The predecessors' open recommendations, as the service sees them: a dry run allocating nothing lists every open
   * one as unallocated. Their text and inspection come from the recommendations themselves.
   */
  private async openRecommendations(actor: Actor, state: HandoverWizardState): Promise<OpenRecommendation[]> {
    const plan = await this.handovers.perform(
      actor,
      { ...handoverInput(state), allocations: [], defaultToOrganisationId: null },
      true,
    );
    const recommendations = await Promise.all(
      plan.unallocated.map((u) => this.recommendations.get(actor, u.recommendationId)),
    );
    const inspectionIds = [...new Set(recommendations.map((r) => r.inspectionId))];
    const inspections = await Promise.all(inspectionIds.map((id) => this.inspections.get(actor, id)));
    const titles = new Map(inspections.map((i) => [i.id, i.title]));
    const names = await organisationNames(this.organisations, actor, state.fromOrganisationIds);
    return recommendations.map((r) => ({
      id: r.id,
      reference: r.reference,
      text: r.text,
      inspectionTitle: titles.get(r.inspectionId) ?? '',
      fromName: names.get(r.ownerOrganisationId) ?? '',
    }));
  }

  private async renderAllocations(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: Actor,
    state: HandoverWizardState,
    open: OpenRecommendation[],
    chosen: Record<string, string>,
    errors: FormErrors = {},
    status = 200,
  ) {
    const names = await organisationNames(this.organisations, actor, state.successorIds);
    return this.views.send(
      request,
      reply,
      'admin/handovers/wizard-allocations.njk',
      {
        recommendations: open.map((r) => ({
          ...r,
          field: allocationField(r.id),
          error: errors[allocationField(r.id)],
          options: state.successorIds.map((id) => ({
            value: id,
            text: names.get(id) ?? id,
            chosen: chosen[r.id] === id,
          })),
        })),
        errors,
        errorList: allocationErrorSummary(errors, open),
      },
      status,
    );
  }

  // ---- (d) ----

  private async check(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const state = request.session.handoverWizard;
    if (!state) return reply.redirect(BASE, 303);
    if (state.successorIds.length === 0) return reply.redirect(`${BASE}/successors`, 303);
    return this.renderCheck(request, reply, actor, state);
  }

  /**
   * Confirms once per wizard: the attempt's id is claimed in Redis before anything changes, so a double click, a
   * resubmitted page or two tabs cannot hand over twice; a second submit goes to the hand-over the first made.
   */
  private async confirm(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const { wizardId } = readFields(request.body, ['wizardId'] as const);
    if (!isUUID(wizardId, 'all')) return reply.redirect(BASE, 303);
    const key = `${this.config.queuePrefix}:web:handover-confirmations:${wizardId}`;
    const claimed = await this.redis.set(key, 'pending', 'EX', CLAIM_SECONDS, 'NX');
    if (claimed !== 'OK') {
      const done = await this.redis.get(key);
      if (request.session.handoverWizard?.id === wizardId) delete request.session.handoverWizard;
      request.session.flash = 'This hand-over has already been confirmed';
      return reply.redirect(done && done !== 'pending' ? `/admin/handovers/${done}` : '/admin/handovers', 303);
    }
    const state = request.session.handoverWizard;
    if (!state || state.id !== wizardId) {
      await this.redis.del(key);
      return reply.redirect(BASE, 303);
    }
    delete request.session.handoverWizard;
    try {
      const handover = await this.handovers.perform(actor, handoverInput(state), false);
      await this.redis.set(key, handover.id, 'EX', CLAIM_SECONDS);
      return reply.redirect(`/admin/handovers/${handover.id}/confirmation`, 303);
    } catch (error) {
      await this.redis.del(key);
      request.session.handoverWizard = state;
      if (!(error instanceof DomainException) || !['rule_violated', 'invalid'].includes(error.code)) throw error;
      // Something changed since the check (a recommendation closed, a successor dissolved): show it, as checked now.
      return this.renderCheck(request, reply, actor, state, 422);
    }
  }

  private async cancel(request: SignedInRequest, reply: FastifyReply) {
    requireAdmin(request);
    delete request.session.handoverWizard;
    request.session.flash = 'Hand-over cancelled: nothing was changed';
    return reply.redirect('/admin/handovers', 303);
  }

  private async renderCheck(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: Actor,
    state: HandoverWizardState,
    status = 200,
  ) {
    let plan: HandoverPlanView;
    try {
      plan = await this.handovers.perform(actor, handoverInput(state), true);
    } catch (error) {
      // A successor that no longer exists is refused outright rather than listed as a problem.
      if (!(error instanceof DomainException) || error.code !== 'invalid') throw error;
      request.session.handoverWizard = { ...state, successorIds: [] };
      return reply.redirect(`${BASE}/successors`, 303);
    }
    const names = await organisationNames(this.organisations, actor, [
      ...state.fromOrganisationIds,
      ...state.successorIds,
    ]);
    return this.views.send(
      request,
      reply,
      'admin/handovers/wizard-check.njk',
      handoverCheckView(state, plan, names),
      status,
    );
  }
}
