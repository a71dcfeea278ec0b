import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { FastifyReply } from 'fastify';
import {
  Actor,
  DomainException,
  OrganisationsService,
  OrganisationView,
  Role,
  ROLES,
  UserFilter,
  UsersService,
  UserView,
} from '@rt/domain';
import { WebViews } from '../../views';
import { CursorPages } from '../../web-pagination';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../../web-route';
import { allOrganisations, FormErrors, idParam, refusalErrors, requireAdmin } from '../admin-form';
import { readFields, takeFlash } from '../../web-forms';
import { LABELS, optionsOf } from '../admin-labels';
import { formFromUser, parseNewUser, parseUserChange, readUserForm, UserForm, userErrorSummary } from './user.form';

export const USERS_PAGE_SIZE = 20;

interface UserPageContext {
  form: UserForm;
  errors?: FormErrors;
  stale?: boolean;
}

/** Admin: users (list with filters), adding one, a user's page with the change form, disabling and enabling. */
@Injectable()
@WebPagesProvider()
export class UsersWebController implements WebPages {
  constructor(
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/admin/users', handler: (rq, rp) => this.list(rq, rp) },
      { method: 'GET', url: '/admin/users/new', handler: (rq, rp) => this.newForm(rq, rp) },
      { method: 'POST', url: '/admin/users/new', handler: (rq, rp) => this.create(rq, rp) },
      { method: 'GET', url: '/admin/users/:id', handler: (rq, rp) => this.show(rq, rp) },
      { method: 'POST', url: '/admin/users/:id', handler: (rq, rp) => this.update(rq, rp) },
      { method: 'POST', url: '/admin/users/:id/active', handler: (rq, rp) => this.setActive(rq, rp) },
    ];
  }

  private async list(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const query = request.query as Record<string, string | undefined>;
    const filter: UserFilter = {};
    if ((ROLES as readonly string[]).includes(query.role ?? '')) filter.role = query.role as Role;
    if (query.organisation && isUUID(query.organisation, 'all'))
      filter.organisationId = query.organisation.toLowerCase();
    const pages = new CursorPages(query);
    const [page, organisations] = await Promise.all([
      pages.load((cursor) => this.users.list(actor, filter, { limit: USERS_PAGE_SIZE, cursor })),
      allOrganisations(this.organisations, actor),
    ]);
    const names = new Map(organisations.map((o) => [o.id, o.name]));
    return this.views.send(request, reply, 'admin/users/list.njk', {
      rows: page.items.map((u) => ({
        ...u,
        roleLabel: LABELS.role[u.role],
        organisationName: u.organisationId ? (names.get(u.organisationId) ?? '') : '',
      })),
      roleOptions: optionsOf(LABELS.role, filter.role),
      organisationOptions: organisations.map((o) => ({
        value: o.id,
        text: o.name,
        chosen: o.id === filter.organisationId,
      })),
      filtered: !!(filter.role || filter.organisationId),
      pagination: pages.links(
        '/admin/users',
        { role: filter.role, organisation: filter.organisationId },
        page.nextCursor,
      ),
      flash: takeFlash(request),
    });
  }

  private async newForm(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    return this.renderNew(request, reply, actor, readUserForm({}));
  }

  private async create(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const form = readUserForm(request.body);
    const organisations = await allOrganisations(this.organisations, actor);
    const parsed = await parseNewUser(form, new Set(organisations.map((o) => o.id)));
    if (!parsed.ok) return this.renderNew(request, reply, actor, form, parsed.errors, 400, organisations);
    let created: UserView;
    try {
      created = await this.users.create(actor, parsed.input);
    } catch (error) {
      const errors = refusalErrors(error, 'email');
      if (!errors) throw error;
      return this.renderNew(request, reply, actor, form, errors, 400, organisations);
    }
    request.session.flash = `${created.name} added`;
    return reply.redirect(`/admin/users/${created.id}`, 303);
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const user = await this.users.get(actor, idParam(request));
    return this.renderUser(request, reply, actor, user, { form: formFromUser(user) });
  }

  private async update(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const current = await this.users.get(actor, idParam(request));
    const form = readUserForm(request.body);
    if (form.version !== String(current.version)) return this.stale(request, reply, actor, current, form);
    const organisations = await allOrganisations(this.organisations, actor);
    const parsed = await parseUserChange(form, new Set(organisations.map((o) => o.id)));
    if (!parsed.ok) return this.renderUser(request, reply, actor, current, { form, errors: parsed.errors }, 400);
    try {
      await this.users.update(actor, current.id, current.version, parsed.input);
    } catch (error) {
      if (error instanceof DomainException && error.code === 'stale')
        return this.stale(request, reply, actor, current, form);
      const errors = refusalErrors(error, 'email');
      if (!errors) throw error;
      return this.renderUser(request, reply, actor, current, { form, errors }, 400);
    }
    request.session.flash = 'User updated';
    return reply.redirect(`/admin/users/${current.id}`, 303);
  }

  /** "Disable user" / "Enable user": a button of its own, so the change form's other fields are not resent. */
  private async setActive(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const current = await this.users.get(actor, idParam(request));
    const { version, active } = readFields(request.body, ['version', 'active'] as const);
    const form = formFromUser(current);
    if (!['yes', 'no'].includes(active)) {
      return this.renderUser(
        request,
        reply,
        actor,
        current,
        { form, errors: { active: 'Choose to disable or enable the user' } },
        400,
      );
    }
    if (version !== String(current.version)) return this.stale(request, reply, actor, current, form);
    try {
      await this.users.update(actor, current.id, current.version, { active: active === 'yes' });
    } catch (error) {
      if (error instanceof DomainException && error.code === 'stale')
        return this.stale(request, reply, actor, current, form);
      const errors = refusalErrors(error, 'active');
      if (!errors) throw error;
      return this.renderUser(request, reply, actor, current, { form, errors }, 400);
    }
    request.session.flash =
      active === 'yes' ? `${current.name} can sign in again` : `${current.name} is disabled and signed out`;
    return reply.redirect(`/admin/users/${current.id}`, 303);
  }

  private async stale(request: SignedInRequest, reply: FastifyReply, actor: Actor, current: UserView, form: UserForm) {
    const latest = await this.users.get(actor, current.id);
    return this.renderUser(
      request,
      reply,
      actor,
      latest,
      { form: { ...form, version: String(latest.version) }, stale: true },
      409,
    );
  }

  private async renderNew(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: Actor,
    form: UserForm,
    errors: FormErrors = {},
    status = 200,
    organisations?: OrganisationView[],
  ) {
    return this.views.send(
      request,
      reply,
      'admin/users/new.njk',
      { ...(await this.formOptions(actor, form, organisations)), form, errors, errorList: userErrorSummary(errors) },
      status,
    );
  }

  private async renderUser(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: Actor,
    user: UserView,
    context: UserPageContext,
    status = 200,
  ) {
    const organisations = await allOrganisations(this.organisations, actor);
    const names = new Map(organisations.map((o) => [o.id, o.name]));
    const errors = context.errors ?? {};
    return this.views.send(
      request,
      reply,
      'admin/users/user.njk',
      {
        ...(await this.formOptions(actor, context.form, organisations)),
        user: {
          ...user,
          roleLabel: LABELS.role[user.role],
          organisationName: user.organisationId ? (names.get(user.organisationId) ?? '') : '',
          portfolio: user.portfolioOrganisationIds.map((id) => ({ id, name: names.get(id) ?? id })),
        },
        isSelf: user.id === actor.id,
        form: context.form,
        errors,
        errorList: userErrorSummary(errors),
        stale: context.stale ?? false,
        flash: takeFlash(request),
      },
      status,
    );
  }

  private async formOptions(actor: Actor, form: UserForm, organisations?: OrganisationView[]) {
    const all = organisations ?? (await allOrganisations(this.organisations, actor));
    return {
      roleOptions: optionsOf(LABELS.role, form.role),
      organisationOptions: all.map((o) => ({
        value: o.id,
        text: o.status === 'dissolved' ? `${o.name} (dissolved)` : o.name,
        chosen: o.id === form.organisationId,
      })),
      reminderDeliveryOptions: optionsOf(LABELS.reminderDelivery, form.reminderDelivery),
    };
  }
}
