import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@rt/config';
import { createLogger, PinoNestLogger, requestIdOf, RequestLogController } from '@rt/logging';
import { WorkerModule, WorkerOptions } from './worker.module';

/** The worker process: BullMQ processors, the outbox relay, and a small HTTP server for its health. */
export async function createWorkerApp(config: AppConfig, options: WorkerOptions = {}): Promise<NestFastifyApplication> {
  const logger = createLogger(config, 'worker');
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new RequestLogController(),
    genReqId: requestIdOf,
  });
  const app = await NestFactory.create<NestFastifyApplication>(WorkerModule.forRoot(config, options), adapter, {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  await app.init();
  return app;
}
