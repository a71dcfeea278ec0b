import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '@rt/domain';
import { WebViews } from '../views';
import { WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { safeReturnPath } from '../web-paths';
import { SESSION_COOKIE } from '../web-session';
import { SignInLockout } from './sign-in-lockout.service';

interface SignInForm {
  email?: unknown;
  password?: unknown;
  returnTo?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export const SIGN_IN_FAILED = 'Enter a correct email address and password';
export const SIGN_IN_LOCKED =
  'You have entered a wrong email address or password too many times. Wait 15 minutes, then try again';

/** Sign in (GET and POST /sign-in) and sign out (POST /sign-out). */
@Injectable()
@WebPagesProvider()
export class SignInWebController implements WebPages {
  constructor(
    private readonly auth: AuthService,
    private readonly views: WebViews,
    private readonly lockout: SignInLockout,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/sign-in', public: true, handler: (request, reply) => this.show(request, reply) },
      { method: 'POST', url: '/sign-in', public: true, handler: (request, reply) => this.signIn(request, reply) },
      { method: 'POST', url: '/sign-out', handler: (request, reply) => this.signOut(request, reply) },
    ];
  }

  private async show(request: FastifyRequest, reply: FastifyReply) {
    const { returnTo } = request.query as { returnTo?: unknown };
    return this.views.send(request, reply, 'auth/sign-in.njk', { returnTo: safeReturnPath(returnTo) });
  }

  private async signIn(request: FastifyRequest, reply: FastifyReply) {
    const body = request.body as SignInForm | undefined;
    const email = text(body?.email).trim();
    const password = text(body?.password);
    const returnTo = safeReturnPath(body?.returnTo);
    const again = (status: number, errors: { href: string; text: string }[]) =>
      this.views.send(request, reply, 'auth/sign-in.njk', { email, returnTo, errors }, status);

    const missing = [
      ...(email ? [] : [{ href: '#email', text: 'Enter your email address' }]),
      ...(password ? [] : [{ href: '#password', text: 'Enter your password' }]),
    ];
    if (missing.length) return again(400, missing);
    if (await this.lockout.isLocked(email)) return again(429, [{ href: '#email', text: SIGN_IN_LOCKED }]);

    const signedIn = await this.auth.verifyCredentials(email, password);
    if (!signedIn) {
      const locked = await this.lockout.recordFailure(email);
      return again(locked ? 429 : 401, [{ href: '#email', text: locked ? SIGN_IN_LOCKED : SIGN_IN_FAILED }]);
    }
    await this.lockout.clear(email);
    // A new session id on sign-in, so an id planted before sign-in is worth nothing afterwards.
    await request.session.regenerate();
    request.session.userId = signedIn.actor.id;
    request.session.tokenGeneration = signedIn.tokenGeneration;
    request.session.lastSeenAt = Date.now();
    return reply.redirect(returnTo, 303);
  }

  private async signOut(request: FastifyRequest, reply: FastifyReply) {
    await request.session.destroy();
    return reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/sign-in', 303);
  }
}
