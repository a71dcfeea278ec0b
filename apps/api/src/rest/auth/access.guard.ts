import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { Actor, AuthService, Capability, DomainException, roleHas } from '@rt/domain';
import { AUTHENTICATED_KEY, CAPABILITY_KEY, PUBLIC_KEY } from './access.decorators';
import { TokenService } from './token.service';

const BEARER = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)$/;

/**
 * The one place access is decided for every API route: who the caller is (bearer token, re-checked against the
 * database so disabled users stop at once) and whether their role has the route's capability. Which records
 * they may touch is the domain's scope rule, applied in every query. A route that declares neither @Public,
 * @Authenticated nor @Requires is refused at boot (see RouteAccessAudit).
 */
type RouteAccess = 'public' | 'authenticated' | Capability | null;

@Injectable()
export class AccessGuard implements CanActivate {
  private readonly declared = new WeakMap<object, RouteAccess>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.accessOf(context);
    if (access === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    const match = BEARER.exec(request.headers.authorization ?? '');
    const claims = match ? this.tokens.verify(match[1]) : null;
    const actor = claims ? await this.auth.actorFor(claims.sub, claims.gen) : null;
    if (!actor) {
      throw new DomainException('unauthenticated', 'Sign in: send a valid bearer token from POST /api/v1/auth/token');
    }
    request.actor = actor;

    if (access === 'authenticated') return true;
    if (access === null) return false;
    if (!roleHas(actor.role, access)) throw DomainException.forbidden(`your role (${actor.role}) cannot do this`);
    return true;
  }

  /** What a route declares, read once per handler (metadata never changes while the process runs). */
  private accessOf(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    let access = this.declared.get(handler);
    if (access === undefined) {
      const targets = [handler, context.getClass()];
      access = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)
        ? 'public'
        : (this.reflector.getAllAndOverride<Capability>(CAPABILITY_KEY, targets) ??
          (this.reflector.getAllAndOverride<boolean>(AUTHENTICATED_KEY, targets) ? 'authenticated' : null));
      this.declared.set(handler, access);
    }
    return access;
  }
}
