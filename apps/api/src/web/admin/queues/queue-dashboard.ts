import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { FastifyInstance, FastifyRequest } from 'fastify';
import type IORedis from 'ioredis';
import { AppConfig } from '@rt/config';
import { Actor } from '@rt/domain';
import { createRedis, QueueName } from '@rt/jobs';
import { WebViews } from '../../views';
import { PageNotFound } from '../../web-errors';
import { sendWebError } from '../../web-pages.filter';
import { WebPages, WebPagesProvider, WebRoute } from '../../web-route';
import { WebSessionCheck } from '../../web-session.check';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board's own page builds its screen with inline styles (a loading indicator, styles its script adds): its
 * routes get a policy allowing those, and nothing else more than our pages. Scripts stay 'self' only: the board
 * has no inline script (its settings travel in a JSON block, which is not run).
 */
export function queueDashboardCsp(production: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(production ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** The board's data, which its page fetches every few seconds while it is open. */
const isPolling = (url: string) => url.startsWith(`${QUEUE_DASHBOARD_PATH}/api/`);

/**
 * The queue dashboard (bull-board) at /admin/queues, read only, over Queue instances of its own on one Redis
 * connection (the queues' configured prefix), closed when the app stops. Every route of the board (its page, its
 * API and its static files) passes the web session check and needs an admin: others get the 404 page, and
 * someone signed out is sent to sign in.
 */
@Injectable()
@WebPagesProvider()
export class QueueDashboard implements WebPages, OnApplicationShutdown {
  private redis: IORedis | undefined;
  private queues: Queue[] = [];
  private setQueues: ((queues: BullMQAdapter[]) => void) | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly session: WebSessionCheck,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [];
  }

  async mount(web: FastifyInstance): Promise<void> {
    const board = new FastifyAdapter();
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    const { setQueues } = createBullBoard({
      queues: [],
      // @bull-board/fastify brings its own copy of @bull-board/api (9.10.1 beside our 9.10.2): the same interface,
      // declared twice, so TypeScript cannot see they match.
      serverAdapter: board as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
      options: { uiConfig: { boardTitle: 'Recommendation Tracker jobs' } },
    });
    this.setQueues = setQueues;

    const production = this.config.nodeEnv === 'production';
    await web.register(
      async (scope) => {
        scope.addHook('preHandler', async (request, reply) => {
          try {
            await this.admit(request);
          } catch (error) {
            sendWebError(this.views, error, request, reply);
            return reply;
          }
          void reply.header('Content-Security-Policy', queueDashboardCsp(production));
          if (!request.url.startsWith(`${QUEUE_DASHBOARD_PATH}/static/`))
            void reply.header('Cache-Control', 'no-store');
        });
        await scope.register(board.registerPlugin());
      },
      { prefix: QUEUE_DASHBOARD_PATH },
    );
  }

  /** The session check and the admin role; the board's polling does not count as activity for the idle timeout. */
  private async admit(request: FastifyRequest & { actor?: Actor }): Promise<void> {
    const lastSeenAt = request.session?.lastSeenAt;
    await this.session.check(request, false);
    if (request.actor?.role !== 'admin') throw new PageNotFound();
    if (isPolling(request.url) && lastSeenAt !== undefined) request.session.lastSeenAt = lastSeenAt;
    this.connectQueues();
  }

  /**
   * The queues, on the first admin's visit: an API process whose dashboard nobody opens holds no Redis connection
   * for it (and cannot be caught closing one still connecting).
   */
  private connectQueues(): void {
    if (this.redis) return;
    const redis = createRedis(this.config.redisUrl, { failFast: true, name: 'api-queue-dashboard' });
    redis.on('error', () => undefined);
    this.redis = redis;
    this.queues = Object.values(QueueName).map(
      (name) => new Queue(name, { connection: redis, prefix: this.config.queuePrefix }),
    );
    for (const queue of this.queues) queue.on('error', () => undefined);
    this.setQueues?.(this.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close().catch(() => undefined)));
    if (this.redis?.status === 'ready') await this.redis.quit().catch(() => this.redis?.disconnect());
    else this.redis?.disconnect();
  }
}
