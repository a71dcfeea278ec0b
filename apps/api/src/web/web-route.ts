import { DiscoveryService } from '@nestjs/core';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Actor } from '@rt/domain';

/** A request to a page that needs a signed-in user: the session check has put the actor on it. */
export type SignedInRequest = FastifyRequest & { actor: Actor };

/**
 * One web page route. Pages are plain Fastify routes (see WebRoutes), not Nest controllers: the API's access
 * guard, route-access audit and OpenAPI document are about bearer-token routes and stay exactly as they were.
 */
export interface WebRoute {
  method: 'GET' | 'POST';
  url: string;
  /** Anyone may open it (sign in); forms on it still need their CSRF token. */
  public?: boolean;
  handler: (request: SignedInRequest, reply: FastifyReply) => Promise<unknown>;
}

/** A class that serves some pages. */
export interface WebPages {
  routes(): WebRoute[];
  /** Pages a Fastify plugin serves (the queue dashboard): registered in the web pages' scope, after the routes. */
  mount?(web: FastifyInstance): Promise<void>;
}

/**
 * Marks a provider as serving pages: WebRoutes finds every provider so marked, in any module the web module
 * imports, and adds its routes.
 */
export const WebPagesProvider = DiscoveryService.createDecorator<void>();
