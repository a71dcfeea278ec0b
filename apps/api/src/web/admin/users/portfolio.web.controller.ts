import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { Actor, OrganisationsService, UsersService, UserView } from '@rt/domain';
import { WebViews } from '../../views';
import { PageNotFound } from '../../web-errors';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../../web-route';
import { allOrganisations, FormErrors, idParam, ownsRecommendations, refusalErrors, requireAdmin } from '../admin-form';
import { errorSummary } from '../../error-summary';
import { readFields, values } from '../../web-forms';
import { LABELS } from '../admin-labels';

/** Admin: the organisations a performance manager oversees, as checkboxes. */
@Injectable()
@WebPagesProvider()
export class PortfolioWebController implements WebPages {
  constructor(
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/admin/users/:id/portfolio', handler: (rq, rp) => this.show(rq, rp) },
      { method: 'POST', url: '/admin/users/:id/portfolio', handler: (rq, rp) => this.save(rq, rp) },
    ];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const user = await this.performanceManager(actor, idParam(request));
    return this.render(request, reply, actor, user, user.portfolioOrganisationIds, String(user.version));
  }

  private async save(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const user = await this.performanceManager(actor, idParam(request));
    const chosen = values(request.body, 'organisationIds');
    const { version } = readFields(request.body, ['version'] as const);
    // The service replaces the portfolio without a version: comparing the user's version first keeps a second
    // admin's change from being overwritten unseen (short of two saves in the same instant).
    if (version !== String(user.version)) {
      return this.render(request, reply, actor, user, chosen, String(user.version), {}, 409, true);
    }
    const organisations = await allOrganisations(this.organisations, actor);
    const known = new Set(organisations.map((o) => o.id));
    if (chosen.some((id) => !known.has(id))) {
      const errors = { organisationIds: 'Select organisations from the list' };
      return this.render(request, reply, actor, user, chosen, version, errors, 400);
    }
    try {
      await this.users.setPortfolio(actor, user.id, chosen);
    } catch (error) {
      const errors = refusalErrors(error, 'organisationIds');
      if (!errors) throw error;
      return this.render(request, reply, actor, user, chosen, version, errors, 400);
    }
    request.session.flash = 'Portfolio saved';
    return reply.redirect(`/admin/users/${user.id}`, 303);
  }

  /** Only performance managers have a portfolio: for anyone else the page does not exist. */
  private async performanceManager(actor: Actor, id: string): Promise<UserView> {
    const user = await this.users.get(actor, id);
    if (user.role !== 'performance_manager') throw new PageNotFound();
    return user;
  }

  private async render(
    request: SignedInRequest,
    reply: FastifyReply,
    actor: Actor,
    user: UserView,
    chosen: string[],
    version: string,
    errors: FormErrors = {},
    status = 200,
    stale = false,
  ) {
    const organisations = await allOrganisations(this.organisations, actor);
    return this.views.send(
      request,
      reply,
      'admin/users/portfolio.njk',
      {
        user,
        version,
        stale,
        errors,
        errorList: errorSummary(errors, ['organisationIds']),
        options: organisations
          .filter((o) => ownsRecommendations(o) || chosen.includes(o.id))
          .map((o) => ({
            value: o.id,
            text: o.name,
            hint: `${LABELS.kind[o.kind]}, ${LABELS.region[o.region]}${o.status === 'dissolved' ? ', dissolved' : ''}`,
            checked: chosen.includes(o.id),
          })),
      },
      status,
    );
  }
}
