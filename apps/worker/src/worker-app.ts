import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@rt/config';
import { WorkerModule, WorkerOptions } from './worker.module';

/** The worker process: BullMQ processors, the outbox relay, and a small HTTP server for its health. */
export async function createWorkerApp(config: AppConfig, options: WorkerOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule.forRoot(config, options),
    new FastifyAdapter(),
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.enableShutdownHooks();
  await app.init();
  return app;
}
