import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { DomainException, UsersService, UserView } from '@rt/domain';
import { WebViews } from '../views';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import {
  formFromUser,
  parsePreferences,
  PreferencesForm,
  preferencesErrorSummary,
  readPreferencesForm,
  takesDigest,
} from './preferences.form';
import { takeFlash } from '../web-forms';

export const PREFERENCES_SAVED = 'Your preferences have been saved';

/** "Your preferences": how the signed-in user gets reminders and, for performance managers, the weekly digest. */
@Injectable()
@WebPagesProvider()
export class PreferencesWebController implements WebPages {
  constructor(
    private readonly users: UsersService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/preferences', handler: (request, reply) => this.show(request, reply) },
      { method: 'POST', url: '/preferences', handler: (request, reply) => this.save(request, reply) },
    ];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const user = await this.users.get(request.actor, request.actor.id);
    const flash = takeFlash(request);
    return this.render(request, reply, user, { form: formFromUser(user), flash });
  }

  private async save(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    const current = await this.users.get(actor, actor.id);
    const form = readPreferencesForm(request.body);
    const parsed = parsePreferences(form, actor.role);
    if (!parsed.ok) return this.render(request, reply, current, { form, errors: parsed.errors }, 400);
    if (form.version !== String(current.version)) return this.stale(request, reply, current, form);
    try {
      await this.users.updateOwnPreferences(actor, parsed.version, parsed.input);
    } catch (error) {
      if (error instanceof DomainException && error.code === 'stale') {
        return this.stale(request, reply, await this.users.get(actor, actor.id), form);
      }
      throw error;
    }
    request.session.flash = PREFERENCES_SAVED;
    return reply.redirect('/preferences', 303);
  }

  /** Changed elsewhere meanwhile (another tab, or an admin): keep the user's choices and ask them to save again. */
  private stale(request: SignedInRequest, reply: FastifyReply, latest: UserView, form: PreferencesForm) {
    return this.render(
      request,
      reply,
      latest,
      { form: { ...form, version: String(latest.version) }, stale: true },
      409,
    );
  }

  private render(
    request: SignedInRequest,
    reply: FastifyReply,
    user: UserView,
    context: { form: PreferencesForm; errors?: Record<string, string>; stale?: boolean; flash?: string },
    status = 200,
  ) {
    const errors = context.errors ?? {};
    return this.views.send(
      request,
      reply,
      'preferences/preferences.njk',
      {
        user,
        form: context.form,
        askDigest: takesDigest(user.role),
        errors,
        errorList: preferencesErrorSummary(errors),
        stale: context.stale ?? false,
        flash: context.flash,
      },
      status,
    );
  }
}
