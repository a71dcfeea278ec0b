import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { FastifyReply } from 'fastify';
import {
  Actor,
  DomainException,
  OrganisationReminderSettingsView,
  OrganisationsService,
  OrganisationView,
  ReminderDefaultsView,
  ReminderSettingsService,
} from '@rt/domain';
import { WebViews } from '../../views';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../../web-route';
import { allOrganisations, FormErrors, idParam, ownsRecommendations, requireAdmin } from '../admin-form';
import { takeFlash } from '../../web-forms';
import {
  describeSettings,
  formFromDefaults,
  formFromOrganisation,
  parseDefaults,
  parseOverrides,
  readSettingsForm,
  SettingsForm,
  settingsErrorSummary,
} from './settings.form';

interface PageContext {
  form: SettingsForm;
  errors?: FormErrors;
  stale?: boolean;
}

/** Admin: when reminders and escalations go, by default and for particular organisations. */
@Injectable()
@WebPagesProvider()
export class SettingsWebController implements WebPages {
  constructor(
    private readonly settings: ReminderSettingsService,
    private readonly organisations: OrganisationsService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/admin/settings', handler: (rq, rp) => this.showDefaults(rq, rp) },
      { method: 'POST', url: '/admin/settings', handler: (rq, rp) => this.saveDefaults(rq, rp) },
      { method: 'GET', url: '/admin/settings/organisations', handler: (rq, rp) => this.pickOrganisation(rq, rp) },
      { method: 'GET', url: '/admin/settings/organisations/:id', handler: (rq, rp) => this.showOrganisation(rq, rp) },
      { method: 'POST', url: '/admin/settings/organisations/:id', handler: (rq, rp) => this.saveOrganisation(rq, rp) },
    ];
  }

  private async showDefaults(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const defaults = await this.settings.defaults();
    return this.renderDefaults(request, reply, actor, defaults, { form: formFromDefaults(defaults) });
  }

  private async saveDefaults(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const current = await this.settings.defaults();
    const form = readSettingsForm(request.body);
    const stale = async () => {
      const latest = await this.settings.defaults();
      const kept = { form: { ...form, version: String(latest.version) }, stale: true };
      return this.renderDefaults(request, reply, actor, latest, kept, 409);
    };
    if (form.version !== String(current.version)) return stale();
    const parsed = await parseDefaults(form);
    if (!parsed.ok) return this.renderDefaults(request, reply, actor, current, { form, errors: parsed.errors }, 400);
    try {
      await this.settings.updateDefaults(current.version, parsed.input);
    } catch (error) {
      if (error instanceof DomainException && error.code === 'stale') return stale();
      throw error;
    }
    request.session.flash = 'Reminder settings saved';
    return reply.redirect('/admin/settings', 303);
  }

  /** The "Settings for one organisation" GET form: to that organisation's page. */
  private async pickOrganisation(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const { organisation } = request.query as { organisation?: unknown };
    if (typeof organisation === 'string' && isUUID(organisation, 'all')) {
      return reply.redirect(`/admin/settings/organisations/${organisation.toLowerCase()}`, 303);
    }
    const defaults = await this.settings.defaults();
    const errors = { organisation: 'Select an organisation' };
    return this.renderDefaults(request, reply, actor, defaults, { form: formFromDefaults(defaults), errors }, 400);
  }

  private async showOrganisation(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const organisation = await this.organisations.get(actor, idParam(request));
    const settings = await this.settings.forOrganisation(actor, organisation.id);
    return this.renderOrganisation(request, reply, organisation, settings, { form: formFromOrganisation(settings) });
  }

  private async saveOrganisation(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const organisation = await this.organisations.get(actor, idParam(request));
    const current = await this.settings.forOrganisation(actor, organisation.id);
    const form = readSettingsForm(request.body);
    const stale = async () => {
      const latest = await this.settings.forOrganisation(actor, organisation.id);
      const kept = { form: { ...form, version: String(latest.version) }, stale: true };
      return this.renderOrganisation(request, reply, organisation, latest, kept, 409);
    };
    if (form.version !== String(current.version)) return stale();
    const parsed = await parseOverrides(form);
    if (!parsed.ok) {
      return this.renderOrganisation(request, reply, organisation, current, { form, errors: parsed.errors }, 400);
    }
    try {
      await this.settings.updateForOrganisation(actor, organisation.id, current.version, parsed.input);
    } catch (error) {
      if (error instanceof DomainException && error.code === 'stale') return stale();
      throw error;
    }
    request.session.flash = `Reminder settings for ${organisation.name} saved`;
    return reply.redirect(`/admin/settings/organisations/${organisation.id}`, 303);
  }

  private async renderDefaults(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: Actor,
    defaults: ReminderDefaultsView,
    context: PageContext,
    status = 200,
  ) {
    const [organisations, profiles] = await Promise.all([
      allOrganisations(this.organisations, actor),
      this.settings.profiles(),
    ]);
    const names = new Map(organisations.map((o) => [o.id, o.name]));
    const usual = JSON.stringify(describeSettings(defaults));
    // Organisations whose settings differ from the defaults (active ones: the reminder run's own grouping).
    const different = profiles
      .filter((p) => JSON.stringify(describeSettings(p.settings)) !== usual)
      .flatMap((p) =>
        p.organisationIds.map((id) => ({ id, name: names.get(id) ?? id, ...describeSettings(p.settings) })),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
    const errors = context.errors ?? {};
    return this.views.send(
      request,
      reply,
      'admin/settings/settings.njk',
      {
        defaults,
        form: context.form,
        errors,
        errorList: settingsErrorSummary(errors),
        stale: context.stale ?? false,
        different,
        organisationOptions: organisations.filter(ownsRecommendations).map((o) => ({ value: o.id, text: o.name })),
        flash: takeFlash(request),
      },
      status,
    );
  }

  private async renderOrganisation(
    request: SignedInRequest,
    reply: FastifyReply,
    organisation: OrganisationView,
    settings: OrganisationReminderSettingsView,
    context: PageContext,
    status = 200,
  ) {
    const defaults = await this.settings.defaults();
    const errors = context.errors ?? {};
    return this.views.send(
      request,
      reply,
      'admin/settings/organisation.njk',
      {
        organisation,
        defaults: describeSettings(defaults),
        effective: describeSettings(settings.effective),
        form: context.form,
        errors,
        errorList: settingsErrorSummary(errors),
        stale: context.stale ?? false,
        flash: takeFlash(request),
      },
      status,
    );
  }
}
