import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { FastifyReply } from 'fastify';
import {
  Actor,
  DomainException,
  InspectionsService,
  InspectionView,
  OrganisationsService,
  OrganisationView,
} from '@rt/domain';
import { WebViews } from '../../views';
import { CursorPages } from '../../web-pagination';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../../web-route';
import { allOrganisations, FormErrors, idParam, ownsRecommendations, refusalErrors, requireAdmin } from '../admin-form';
import { takeFlash } from '../../web-forms';
import {
  emptyInspectionForm,
  formFromInspection,
  InspectionForm,
  inspectionDateParts,
  inspectionErrorSummary,
  parseInspection,
  readInspectionForm,
} from './inspection.form';

export const INSPECTIONS_PAGE_SIZE = 20;

/** Admin: inspections (list by organisation), recording one and changing it. Findings: see FindingsWebController. */
@Injectable()
@WebPagesProvider()
export class InspectionsWebController implements WebPages {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly organisations: OrganisationsService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/admin/inspections', handler: (rq, rp) => this.list(rq, rp) },
      { method: 'GET', url: '/admin/inspections/new', handler: (rq, rp) => this.newForm(rq, rp) },
      { method: 'POST', url: '/admin/inspections/new', handler: (rq, rp) => this.create(rq, rp) },
      { method: 'GET', url: '/admin/inspections/:id/edit', handler: (rq, rp) => this.editForm(rq, rp) },
      { method: 'POST', url: '/admin/inspections/:id/edit', handler: (rq, rp) => this.update(rq, rp) },
    ];
  }

  private async list(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const query = request.query as Record<string, string | undefined>;
    const organisationId =
      query.organisation && isUUID(query.organisation, 'all') ? query.organisation.toLowerCase() : undefined;
    const pages = new CursorPages(query);
    const [page, organisations] = await Promise.all([
      pages.load((cursor) =>
        this.inspections.list(actor, { organisationId }, { limit: INSPECTIONS_PAGE_SIZE, cursor }),
      ),
      allOrganisations(this.organisations, actor),
    ]);
    return this.views.send(request, reply, 'admin/inspections/list.njk', {
      rows: page.items,
      organisationOptions: organisations
        .filter(ownsRecommendations)
        .map((o) => ({ value: o.id, text: o.name, chosen: o.id === organisationId })),
      filtered: !!organisationId,
      pagination: pages.links('/admin/inspections', { organisation: organisationId }, page.nextCursor),
      flash: takeFlash(request),
    });
  }

  private async newForm(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const query = request.query as Record<string, string | undefined>;
    return this.renderForm(request, reply, actor, null, {
      ...emptyInspectionForm(),
      organisationId: query.organisation ?? '',
    });
  }

  private async create(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const form = readInspectionForm(request.body);
    const choices = await this.choices(actor);
    const parsed = await parseInspection(form, choices.organisationIds, choices.inspectorateIds);
    if (!parsed.ok) return this.renderForm(request, reply, actor, null, form, { errors: parsed.errors }, 400, choices);
    let created: InspectionView;
    try {
      created = await this.inspections.create(actor, parsed.input);
    } catch (error) {
      const errors = refusalErrors(error, 'title');
      if (!errors) throw error;
      return this.renderForm(request, reply, actor, null, form, { errors }, 400, choices);
    }
    request.session.flash = `Inspection “${created.title}” added`;
    return reply.redirect(`/admin/inspections?organisation=${created.organisationId}`, 303);
  }

  private async editForm(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const inspection = await this.inspections.get(actor, idParam(request));
    return this.renderForm(request, reply, actor, inspection, formFromInspection(inspection));
  }

  private async update(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const current = await this.inspections.get(actor, idParam(request));
    const form = readInspectionForm(request.body);
    const choices = await this.choices(actor);
    if (form.version !== String(current.version)) return this.stale(request, reply, actor, current, form, choices);
    const parsed = await parseInspection(form, choices.organisationIds, choices.inspectorateIds);
    if (!parsed.ok)
      return this.renderForm(request, reply, actor, current, form, { errors: parsed.errors }, 400, choices);
    try {
      await this.inspections.update(actor, current.id, current.version, parsed.input);
    } catch (error) {
      if (error instanceof DomainException && error.code === 'stale') {
        return this.stale(request, reply, actor, current, form, choices);
      }
      const errors = refusalErrors(error, 'title');
      if (!errors) throw error;
      return this.renderForm(request, reply, actor, current, form, { errors }, 400, choices);
    }
    request.session.flash = `Inspection “${parsed.input.title}” updated`;
    return reply.redirect(`/admin/inspections?organisation=${parsed.input.organisationId}`, 303);
  }

  private async stale(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: Actor,
    current: InspectionView,
    form: InspectionForm,
    choices: Choices,
  ) {
    const latest = await this.inspections.get(actor, current.id);
    const kept = { ...form, version: String(latest.version) };
    return this.renderForm(request, reply, actor, latest, kept, { stale: true }, 409, choices);
  }

  private async choices(actor: Actor): Promise<Choices> {
    const all = await allOrganisations(this.organisations, actor);
    const inspected = all.filter(ownsRecommendations);
    const inspectorates = all.filter((o) => o.kind === 'inspectorate');
    return {
      inspected,
      inspectorates,
      organisationIds: new Set(inspected.map((o) => o.id)),
      inspectorateIds: new Set(inspectorates.map((o) => o.id)),
    };
  }

  private async renderForm(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: Actor,
    inspection: InspectionView | null,
    form: InspectionForm,
    context: { errors?: FormErrors; stale?: boolean } = {},
    status = 200,
    choices?: Choices,
  ) {
    const { inspected, inspectorates } = choices ?? (await this.choices(actor));
    const errors = context.errors ?? {};
    const dateParts = inspectionDateParts(form, errors);
    const options = (list: OrganisationView[], chosen: string) =>
      list.map((o) => ({ value: o.id, text: o.name, chosen: o.id === chosen }));
    return this.views.send(
      request,
      reply,
      'admin/inspections/form.njk',
      {
        inspection,
        form,
        errors,
        dateParts,
        errorList: inspectionErrorSummary(errors, dateParts),
        stale: context.stale ?? false,
        organisationOptions: options(inspected, form.organisationId),
        inspectorateOptions: options(inspectorates, form.inspectorateId),
      },
      status,
    );
  }
}

interface Choices {
  inspected: OrganisationView[];
  inspectorates: OrganisationView[];
  organisationIds: Set<string>;
  inspectorateIds: Set<string>;
}
