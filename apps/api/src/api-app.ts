import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@rt/config';
import { createLogger, PinoNestLogger, requestIdOf, RequestLogController } from '@rt/logging';
import { ApiModule, ApiOptions } from './api.module';
import { mountOpenApi } from './openapi';
import { JsonObjectBodyPipe } from './rest/common/json-object-body.pipe';
import { ProblemDetailsFilter } from './rest/common/problem-details.filter';
import { VALIDATION_OPTIONS } from './rest/common/validation';
import { WebViews } from './web/views';
import { WebPagesFilter } from './web/web-pages.filter';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the API process (used by main.ts and by the end-to-end tests, so both run the same app). */
export async function createApiApp(config: AppConfig, options: ApiOptions = {}): Promise<NestFastifyApplication> {
  const logger = createLogger(config, 'api');
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: true,
    return503OnClosing: true,
    loggerInstance: logger,
    logController: new RequestLogController(),
    genReqId: requestIdOf,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, options), adapter, {
    logger: new PinoNestLogger(logger),
  });
  // JSON only: a text/plain body is refused with 415 rather than reaching a handler as a string.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  // CSV files (the recommendation import) arrive as raw bytes: the import checks they are UTF-8 and parses them.
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) =>
      done(null, body),
    );
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      void reply.header('X-Request-Id', request.id);
      done();
    });
  app.useGlobalPipes(new JsonObjectBodyPipe(), new ValidationPipe(VALIDATION_OPTIONS));
  app.useGlobalFilters(new WebPagesFilter(new ProblemDetailsFilter(), app.get(WebViews)));
  app.enableShutdownHooks();
  mountOpenApi(app);
  await app.init();
  // Nest adds a form parser during init(): remove it too, so a form body is a 415, not a record made from it. (The
  // web pages' scope, loaded by ready() below, has its own: see WebRoutes.)
  app.getHttpAdapter().getInstance().removeContentTypeParser('application/x-www-form-urlencoded');
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
