import { Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { AppConfig } from '@rt/config';
import { Actor, AuthService } from '@rt/domain';
import { FormExpired, SignInRequired } from './web-errors';
import './web-session';

type CsrfCheck = (request: FastifyRequest, reply: { send: (error: unknown) => void }, next: () => void) => void;

/**
 * The web pages' access check: every POST carries this session's CSRF token; pages other than sign-in need a
 * signed-in session that has not been idle too long, whose user is still active (re-read on every request, as
 * the API does for tokens). The records themselves are scoped by the domain services, as for the API.
 */
@Injectable()
export class WebSessionCheck {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  async check(request: FastifyRequest & { actor?: Actor }, isPublic: boolean): Promise<void> {
    if (request.method === 'POST') await this.checkCsrf(request);
    if (isPublic) return;

    const session = request.session;
    const idleMs = this.config.webSessionIdleMinutes * 60_000;
    const now = Date.now();
    const actor =
      session?.userId && session.tokenGeneration !== undefined && now - (session.lastSeenAt ?? 0) <= idleMs
        ? await this.auth.actorFor(session.userId, session.tokenGeneration)
        : null;
    if (!actor) {
      if (session?.userId) await session.destroy();
      throw new SignInRequired(request.method === 'GET' ? request.url : '/');
    }
    session.lastSeenAt = now;
    session.touch();
    request.actor = actor;
  }

  private async checkCsrf(request: FastifyRequest): Promise<void> {
    const fastify = request.server as unknown as { csrfProtection: CsrfCheck };
    const ok = await new Promise<boolean>((resolve) => {
      // The plugin answers a refusal itself through reply.send; here it is turned into FormExpired instead.
      fastify.csrfProtection(request, { send: () => resolve(false) }, () => resolve(true));
    });
    if (!ok) throw new FormExpired();
  }
}
