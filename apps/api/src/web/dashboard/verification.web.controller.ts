import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { FastifyReply } from 'fastify';
import { ActionFilter, ActionsService, ActionView, DomainErrorCode, DomainException } from '@rt/domain';
import { WebViews } from '../views';
import { PageNotFound } from '../web-errors';
import { CursorPages, queryString } from '../web-pagination';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { DashboardActionRows } from './dashboard-action-rows';
import { requireDashboardRole } from './dashboard.view-model';
import {
  parseVerification,
  readVerificationForm,
  verificationErrors,
  verificationErrorSummary,
} from './verification.form';
import { takeFlash } from '../web-forms';

export const VERIFICATION_PAGE_SIZE = 20;
const AWAITING: ActionFilter = { statuses: ['completed'] };
/** Refusals shown on the form; any other failure is the error page's. */
const REFUSAL_STATUS: Partial<Record<DomainErrorCode, number>> = {
  rule_violated: 400,
  invalid: 400,
  malformed: 400,
  forbidden: 403,
};

/** What went wrong with one action's form, to show on the list again. */
interface Problem {
  actionId: string;
  comment: string;
  errors?: Record<string, string>;
  /** Someone else changed the action first: how it is now. */
  changed?: ActionView;
}

/** Completed actions across the portfolio, each to verify or reopen through ActionsService.update. */
@Injectable()
@WebPagesProvider()
export class VerificationWebController implements WebPages {
  constructor(
    private readonly actions: ActionsService,
    private readonly actionRows: DashboardActionRows,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/dashboard/verification', handler: (request, reply) => this.show(request, reply) },
      {
        method: 'POST',
        url: '/dashboard/verification/:actionId',
        handler: (request, reply) => this.decide(request, reply),
      },
    ];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    requireDashboardRole(request.actor);
    const flash = takeFlash(request);
    return this.render(request, reply, { flash });
  }

  private async decide(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    requireDashboardRole(actor);
    const { actionId } = request.params as { actionId: string };
    if (!isUUID(actionId, 'all')) throw new PageNotFound();
    const action = await this.actions.get(actor, actionId.toLowerCase());
    const form = readVerificationForm(request.body);
    const problem = { actionId: action.id, comment: form.comment };
    const parsed = parseVerification(form);
    if (!parsed.ok) return this.render(request, reply, { problem: { ...problem, errors: parsed.errors } }, 400);
    try {
      await this.actions.update(actor, action.id, parsed.version, parsed.input);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      if (error.code === 'stale') {
        const changed = await this.actions.get(actor, action.id);
        return this.render(request, reply, { problem: { ...problem, changed } }, 409);
      }
      const status = REFUSAL_STATUS[error.code];
      if (!status) throw error;
      return this.render(request, reply, { problem: { ...problem, errors: verificationErrors(error) } }, status);
    }
    request.session.flash = parsed.decision === 'verify' ? 'Action verified' : 'Action reopened';
    return reply.redirect(`/dashboard/verification${this.pageQuery(request)}`, 303);
  }

  /** The page of the list the form was on (its cursor and trail), so the user comes back to it. */
  private pageQuery(request: SignedInRequest): string {
    const pages = new CursorPages(request.query as Record<string, unknown>);
    const { trail } = request.query as { trail?: unknown };
    return queryString({ cursor: pages.cursor, trail: pages.cursor && typeof trail === 'string' ? trail : undefined });
  }

  private async render(
    request: SignedInRequest,
    reply: FastifyReply,
    context: { flash?: string; problem?: Problem },
    status = 200,
  ) {
    const actor = request.actor;
    const pages = new CursorPages(request.query as Record<string, unknown>);
    const [page, counts] = await Promise.all([
      pages.load((cursor) => this.actions.list(actor, AWAITING, { limit: VERIFICATION_PAGE_SIZE, cursor })),
      this.actions.countByDueState(actor, AWAITING),
    ]);
    const problem = context.problem;
    const rows = await this.actionRows.rows(actor, page.items);
    const errors = problem?.errors ?? {};
    return this.views.send(
      request,
      reply,
      'dashboard/verification.njk',
      {
        rows,
        total: counts.total,
        pagination: pages.links('/dashboard/verification', {}, page.nextCursor),
        pageQuery: this.pageQuery(request),
        flash: context.flash,
        problem,
        // The changed action is no longer on the list: the banner keeps the comment instead.
        problemListed: !!problem && rows.some((r) => r.id === problem.actionId),
        errors,
        errorList: problem ? verificationErrorSummary(problem.actionId, errors) : [],
      },
      status,
    );
  }
}
