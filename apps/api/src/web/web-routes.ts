import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ActionWebController } from './actions/action.web.controller';
import { YourActionsWebController } from './actions/your-actions.web.controller';
import { SignInWebController } from './auth/sign-in.web.controller';
import { DashboardWebController } from './dashboard/dashboard.web.controller';
import { WebViews } from './views';
import { sendWebError } from './web-pages.filter';
import { SignedInRequest, WebPages } from './web-route';
import { WebSessionCheck } from './web-session.check';

/** Adds every page's routes to Fastify, each behind the session check and with GOV.UK error pages. */
@Injectable()
export class WebRoutes implements OnModuleInit {
  private readonly pages: WebPages[];

  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly session: WebSessionCheck,
    private readonly views: WebViews,
    signIn: SignInWebController,
    yourActions: YourActionsWebController,
    action: ActionWebController,
    dashboard: DashboardWebController,
  ) {
    this.pages = [signIn, yourActions, action, dashboard];
  }

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    for (const route of this.pages.flatMap((p) => p.routes())) {
      fastify.route({
        method: route.method,
        url: route.url,
        handler: async (request: FastifyRequest, reply: FastifyReply) => {
          try {
            await this.session.check(request, route.public ?? false);
            await route.handler(request as SignedInRequest, reply);
          } catch (error) {
            sendWebError(this.views, error, request, reply);
          }
          return reply;
        },
      });
    }
  }
}
