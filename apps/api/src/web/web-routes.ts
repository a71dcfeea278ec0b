import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebViews } from './views';
import { sendWebError } from './web-pages.filter';
import { SignedInRequest, WebPages, WebPagesProvider } from './web-route';
import { WebSessionCheck } from './web-session.check';

/**
 * Adds every page's routes (from each provider marked @WebPagesProvider()) to Fastify, each behind the session
 * check and with GOV.UK error pages.
 */
@Injectable()
export class WebRoutes implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly discovery: DiscoveryService,
    private readonly session: WebSessionCheck,
    private readonly views: WebViews,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    const pages = this.discovery
      .getProviders({ metadataKey: WebPagesProvider.KEY })
      .map((wrapper) => wrapper.instance as WebPages);
    for (const route of pages.flatMap((p) => p.routes())) {
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
