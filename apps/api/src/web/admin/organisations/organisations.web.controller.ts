import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import {
  DomainException,
  ORGANISATION_KINDS,
  ORGANISATION_STATUSES,
  OrganisationFilter,
  OrganisationKind,
  OrganisationsService,
  OrganisationStatus,
  OrganisationView,
} from '@rt/domain';
import { WebViews } from '../../views';
import { CursorPages } from '../../web-pagination';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../../web-route';
import {
  allOrganisations,
  byName,
  FormErrors,
  idParam,
  organisationNames,
  ownsRecommendations,
  refusalErrors,
  requireAdmin,
} from '../admin-form';
import { takeFlash } from '../../web-forms';
import { LABELS, optionsOf } from '../admin-labels';
import {
  emptyOrganisationForm,
  formFromOrganisation,
  OrganisationForm,
  organisationDateParts,
  organisationErrorSummary,
  parseOrganisation,
  readOrganisationForm,
} from './organisation.form';

export const ORGANISATIONS_PAGE_SIZE = 20;

/** Admin: the organisations, one organisation's page, and the add and change forms. */
@Injectable()
@WebPagesProvider()
export class OrganisationsWebController implements WebPages {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/admin/organisations', handler: (rq, rp) => this.list(rq, rp) },
      { method: 'GET', url: '/admin/organisations/new', handler: (rq, rp) => this.newForm(rq, rp) },
      { method: 'POST', url: '/admin/organisations/new', handler: (rq, rp) => this.create(rq, rp) },
      { method: 'GET', url: '/admin/organisations/:id', handler: (rq, rp) => this.show(rq, rp) },
      { method: 'GET', url: '/admin/organisations/:id/edit', handler: (rq, rp) => this.editForm(rq, rp) },
      { method: 'POST', url: '/admin/organisations/:id/edit', handler: (rq, rp) => this.update(rq, rp) },
    ];
  }

  private async list(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const query = request.query as Record<string, string | undefined>;
    const filter: OrganisationFilter = {};
    if ((ORGANISATION_KINDS as readonly string[]).includes(query.kind ?? ''))
      filter.kind = query.kind as OrganisationKind;
    if ((ORGANISATION_STATUSES as readonly string[]).includes(query.status ?? '')) {
      filter.status = query.status as OrganisationStatus;
    }
    const pages = new CursorPages(query);
    const page = await pages.load((cursor) =>
      this.organisations.list(actor, filter, { limit: ORGANISATIONS_PAGE_SIZE, cursor }),
    );
    const names = await organisationNames(
      this.organisations,
      actor,
      page.items.flatMap((o) => o.successorIds),
    );
    return this.views.send(request, reply, 'admin/organisations/list.njk', {
      rows: page.items.map((o) => ({
        ...o,
        kindLabel: LABELS.kind[o.kind],
        regionLabel: LABELS.region[o.region],
        successors: o.successorIds.map((id) => ({ id, name: names.get(id) ?? id })).sort(byName),
      })),
      filter,
      kindOptions: optionsOf(LABELS.kind, filter.kind),
      statusOptions: optionsOf(LABELS.organisationStatus, filter.status),
      pagination: pages.links('/admin/organisations', { kind: filter.kind, status: filter.status }, page.nextCursor),
      flash: takeFlash(request),
    });
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const organisation = await this.organisations.get(actor, idParam(request));
    const names = await organisationNames(this.organisations, actor, [
      ...organisation.successorIds,
      ...organisation.predecessorIds,
    ]);
    const linked = (ids: string[]) => ids.map((id) => ({ id, name: names.get(id) ?? id })).sort(byName);
    return this.views.send(request, reply, 'admin/organisations/show.njk', {
      organisation: {
        ...organisation,
        kindLabel: LABELS.kind[organisation.kind],
        regionLabel: LABELS.region[organisation.region],
        statusLabel: LABELS.organisationStatus[organisation.status],
      },
      successors: linked(organisation.successorIds),
      predecessors: linked(organisation.predecessorIds),
      flash: takeFlash(request),
    });
  }

  private async newForm(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    return this.renderForm(request, reply, actor, null, emptyOrganisationForm());
  }

  private async create(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const form = readOrganisationForm(request.body);
    const choices = await this.successorChoices(actor, null);
    const parsed = await parseOrganisation(form, new Set(choices.map((o) => o.id)));
    if (!parsed.ok) return this.renderForm(request, reply, actor, null, form, { errors: parsed.errors }, 400, choices);
    let created: OrganisationView;
    try {
      created = await this.organisations.create(actor, parsed.input);
    } catch (error) {
      const errors = refusalErrors(error, 'name');
      if (!errors) throw error;
      return this.renderForm(request, reply, actor, null, form, { errors }, 400, choices);
    }
    request.session.flash = `${created.name} added`;
    return reply.redirect(`/admin/organisations/${created.id}`, 303);
  }

  private async editForm(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const organisation = await this.organisations.get(actor, idParam(request));
    return this.renderForm(request, reply, actor, organisation, formFromOrganisation(organisation));
  }

  private async update(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const current = await this.organisations.get(actor, idParam(request));
    const form = readOrganisationForm(request.body);
    const choices = await this.successorChoices(actor, current.id);
    if (form.version !== String(current.version)) {
      return this.renderForm(
        request,
        reply,
        actor,
        current,
        { ...form, version: String(current.version) },
        { stale: true },
        409,
        choices,
      );
    }
    const parsed = await parseOrganisation(form, new Set(choices.map((o) => o.id)));
    if (!parsed.ok)
      return this.renderForm(request, reply, actor, current, form, { errors: parsed.errors }, 400, choices);
    try {
      await this.organisations.update(actor, current.id, current.version, parsed.input);
    } catch (error) {
      if (error instanceof DomainException && error.code === 'stale') {
        const latest = await this.organisations.get(actor, current.id);
        return this.renderForm(
          request,
          reply,
          actor,
          latest,
          { ...form, version: String(latest.version) },
          { stale: true },
          409,
          choices,
        );
      }
      const errors = refusalErrors(error, 'name');
      if (!errors) throw error;
      return this.renderForm(request, reply, actor, current, form, { errors }, 400, choices);
    }
    request.session.flash = 'Organisation updated';
    return reply.redirect(`/admin/organisations/${current.id}`, 303);
  }

  /** Organisations that may succeed this one: any other that owns recommendations. */
  private async successorChoices(actor: SignedInRequest['actor'], id: string | null) {
    return (await allOrganisations(this.organisations, actor)).filter((o) => o.id !== id && ownsRecommendations(o));
  }

  private async renderForm(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: SignedInRequest['actor'],
    organisation: OrganisationView | null,
    form: OrganisationForm,
    context: { errors?: FormErrors; stale?: boolean } = {},
    status = 200,
    choices?: OrganisationView[],
  ) {
    const successors = choices ?? (await this.successorChoices(actor, organisation?.id ?? null));
    const errors = context.errors ?? {};
    const dateParts = organisationDateParts(form, errors);
    return this.views.send(
      request,
      reply,
      'admin/organisations/form.njk',
      {
        organisation,
        form,
        errors,
        dateParts,
        errorList: organisationErrorSummary(errors, dateParts),
        stale: context.stale ?? false,
        kindOptions: optionsOf(LABELS.kind, form.kind),
        regionOptions: optionsOf(LABELS.region, form.region),
        statusOptions: optionsOf(LABELS.organisationStatus, form.status),
        successorOptions: successors.map((o) => ({
          value: o.id,
          text: o.name,
          hint: `${LABELS.kind[o.kind]}, ${LABELS.region[o.region]}${o.status === 'dissolved' ? ', dissolved' : ''}`,
          checked: form.successorIds.includes(o.id),
        })),
      },
      status,
    );
  }
}
