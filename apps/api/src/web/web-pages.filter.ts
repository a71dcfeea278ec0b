import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '@rt/domain';
import { WebViews } from './views';
import { FormExpired, PageNotFound, SignInRequired } from './web-errors';
import { isWebPage } from './web-paths';

const logger = new Logger('WebPages');

/** A failure on a web page, as a GOV.UK error page (or a redirect to sign in when the session has gone). */
export function sendWebError(views: WebViews, exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (exception instanceof SignInRequired) {
    const returnTo = exception.returnTo === '/' ? '' : `?returnTo=${encodeURIComponent(exception.returnTo)}`;
    void reply.redirect(`/sign-in${returnTo}`, 303);
    return;
  }
  if (exception instanceof FormExpired) {
    views.send(request, reply, 'errors/form-expired.njk', {}, 403);
    return;
  }
  if (
    exception instanceof PageNotFound ||
    (exception instanceof DomainException && ['not_found', 'malformed'].includes(exception.code)) ||
    (exception instanceof HttpException && exception.getStatus() === 404)
  ) {
    views.send(request, reply, 'errors/404.njk', {}, 404);
    return;
  }
  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  try {
    views.send(request, reply, 'errors/500.njk', {}, 500);
  } catch {
    void reply.status(500).type('text/plain').send('Sorry, there is a problem with the service.');
  }
}

/**
 * The one global exception filter: API paths keep their problem+json answers (the filter given); anything else
 * (an unknown page) gets a GOV.UK error page.
 */
@Catch()
export class WebPagesFilter implements ExceptionFilter {
  constructor(
    private readonly api: ExceptionFilter,
    private readonly views: WebViews,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (!isWebPage(request.url)) {
      this.api.catch(exception, host);
      return;
    }
    sendWebError(this.views, exception, request, host.switchToHttp().getResponse<FastifyReply>());
  }
}
