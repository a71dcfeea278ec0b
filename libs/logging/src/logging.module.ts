import { IncomingMessage } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@rt/config';
import { requestIdOf } from './request-id';

/** Structured JSON logs (pino) with the request id on every line; secrets never reach the log. */
@Module({})
export class LoggingModule {
  static forRoot(service: 'api' | 'worker'): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.logLevel,
              base: { service },
              messageKey: 'msg',
              formatters: { level: (label: string) => ({ level: label }) },
              // Under Fastify the request already carries its id (the adapter's genReqId, see requestIdOf), and
              // pino-http keeps it; this only serves a server that has none.
              genReqId: requestIdOf,
              // Binds the id to the request's logger, so every line logged while serving it carries requestId.
              quietReqLogger: true,
              customAttributeKeys: { reqId: 'requestId' },
              redact: {
                paths: [
                  'req.headers.authorization',
                  'req.headers.cookie',
                  'res.headers["set-cookie"]',
                  '*.password',
                  '*.passwordHash',
                  '*.password_hash',
                  '*.accessToken',
                ],
                censor: '[redacted]',
              },
              serializers: {
                req: (req: { id: string; method: string; url: string }) => ({
                  method: req.method,
                  url: req.url,
                }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
              // Nest's middleware sees the URL with its mount path stripped; the original is kept beside it.
              autoLogging: {
                ignore: (req: IncomingMessage & { originalUrl?: string }) =>
                  (req.originalUrl ?? req.url)?.startsWith('/health') ?? false,
              },
            },
          }),
        }),
      ],
    };
  }
}
