import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type IORedis from 'ioredis';
import { AppConfig } from '@rt/config';
import { WebViews } from './views';
import { PageNotFound } from './web-errors';
import { sendWebError } from './web-pages.filter';
import { isApiPath } from './web-paths';
import { WEB_REDIS } from './web-redis';
import { SignedInRequest, WebPages, WebPagesProvider } from './web-route';
import { WebSessionCheck } from './web-session.check';
import { setUpWeb } from './web-setup';

/**
 * The web pages' own Fastify scope: the web plugins (setUpWeb), every page's routes (from each provider marked
 * @WebPagesProvider()), each behind the session check and with GOV.UK error pages, the plugins pages bring (the
 * queue dashboard), and the 404 page for any other path outside /api. The JSON API's routes are outside the scope:
 * no session, cookie, CSRF, security-header or compression hook runs for them.
 */
@Injectable()
export class WebRoutes implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly discovery: DiscoveryService,
    private readonly session: WebSessionCheck,
    private readonly views: WebViews,
    private readonly config: AppConfig,
    @Inject(WEB_REDIS) private readonly redis: IORedis,
  ) {}

  onModuleInit(): void {
    const pages = this.discovery
      .getProviders({ metadataKey: WebPagesProvider.KEY })
      .map((wrapper) => wrapper.instance as WebPages);
    // Queued, not awaited: the scope loads when the app is made ready, after Nest has set its error handler, which
    // the scope then inherits (awaiting here would load everything registered so far before that).
    void this.adapter.httpAdapter.getInstance<FastifyInstance>().register(async (web) => {
      await setUpWeb(web, this.config, this.redis);
      for (const route of pages.flatMap((p) => p.routes())) {
        web.route({
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
      for (const page of pages) await page.mount?.(web);
      this.addNotFoundPage(web);
    });
  }

  /**
   * Any other path: the GOV.UK 404 page, with the scope's headers. Paths of the API, its documentation and the
   * health checks that match no route go on, before their bodies are read, to the API's own 404 (problem+json).
   */
  private addNotFoundPage(web: FastifyInstance): void {
    web.all(
      '/*',
      {
        onRequest: (request, reply, done) => {
          if (isApiPath(request.url)) reply.callNotFound();
          else done();
        },
      },
      (request, reply) => {
        sendWebError(this.views, new PageNotFound(), request, reply);
        return reply;
      },
    );
  }
}
