import { createHmac } from 'node:crypto';
import { dirname, join } from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorCodes, FastifyInstance } from 'fastify';
import type IORedis from 'ioredis';
import { AppConfig } from '@rt/config';
import { RedisSessionStore } from './redis-session.store';
import { SESSION_COOKIE } from './web-session';
import { isWebPage } from './web-paths';

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** The largest file a page takes (the recommendation import); a larger one arrives cut short, marked `truncated`. */
export const WEB_UPLOAD_LIMIT_BYTES = 1024 * 1024;

/** A file sent with a page's multipart form, as its handler finds it in the body under the input's name. */
export interface WebUpload {
  filename: string;
  mimetype: string;
  data: Buffer;
  /** Larger than WEB_UPLOAD_LIMIT_BYTES: `data` holds only the first part. */
  truncated: boolean;
}

/** Redis keys of the web layer: sessions and sign-in failures, under the deployment's prefix. */
export const webKeys = (config: AppConfig) => ({
  session: `${config.queuePrefix}:web:session:`,
  signInFailures: `${config.queuePrefix}:web:sign-in-failures:`,
});

function contentSecurityPolicy(config: AppConfig, nonce: string) {
  return {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", `'nonce-${nonce}'`],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      ...(config.nodeEnv === 'production' ? { upgradeInsecureRequests: [] } : {}),
    },
  };
}

/**
 * Everything the web pages need from Fastify, registered before Nest adds its routes: cookies, sessions in Redis,
 * CSRF tokens, security headers with a per-request CSP nonce, form bodies, file uploads, compression and the static
 * files. The JSON API under /api is left exactly as it was: no headers, cookies or form parsing reach it.
 */
export async function setUpWeb(app: NestFastifyApplication, config: AppConfig, redis: IORedis): Promise<void> {
  const idleSeconds = config.webSessionIdleMinutes * 60;
  const sessionSecret = createHmac('sha256', config.tokenSecret).update('web-session-cookie').digest('hex');

  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: sessionSecret,
    cookieName: SESSION_COOKIE,
    store: new RedisSessionStore(redis, webKeys(config).session, idleSeconds),
    saveUninitialized: false,
    rolling: true,
    cookie: {
      path: '/',
      httpOnly: true,
      secure: config.nodeEnv === 'production',
      sameSite: 'lax',
      maxAge: idleSeconds * 1000,
    },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });
  // Nonces are made for every request; headers are only applied to pages (below), never to the API.
  await app.register(fastifyHelmet, { global: false, enableCSPNonces: true });

  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!isWebPage(request.url) && !request.url.startsWith('/assets/')) return done();
    void reply.helmet({
      contentSecurityPolicy: contentSecurityPolicy(config, reply.cspNonce.script),
      strictTransportSecurity: config.nodeEnv === 'production',
      crossOriginEmbedderPolicy: false,
    });
    done();
  });

  // File uploads on pages: fields and the file are read into the body before the page's handler (and its CSRF
  // check) runs. Outside the pages a multipart body is refused as before, 415, before the plugin sees it.
  fastify.addHook('onRequest', (request, _reply, done) => {
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    if (hasBody && mediaType === 'multipart/form-data' && !isWebPage(request.url)) {
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(mediaType));
      return;
    }
    done();
  });
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: WEB_UPLOAD_LIMIT_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 21 },
    async onFile(part) {
      const data = await part.toBuffer();
      const upload: WebUpload = {
        filename: part.filename,
        mimetype: part.mimetype,
        data,
        truncated: part.file.truncated,
      };
      part.value = upload;
    },
  });

  // Pages and their files are compressed for browsers that ask (brotli or gzip); the JSON API is not: its routes
  // are marked before the plugin sees them (added later by Nest, they pass this hook first), and no request body
  // is ever decompressed.
  fastify.addHook('onRoute', (route) => {
    if (!isWebPage(route.url ?? route.path ?? '') && !(route.url ?? '').startsWith('/assets/')) {
      route.config = { ...(route.config ?? {}), compress: false } as typeof route.config;
    }
  });
  await app.register(fastifyCompress, { globalDecompression: false, threshold: 1024, encodings: ['br', 'gzip'] });

  // GOV.UK Frontend's fonts, images and script; the stylesheet is our own build of its Sass (application.css).
  const assets = join(packageDir('govuk-frontend'), 'dist', 'govuk');
  await app.register(fastifyStatic, { root: join(assets, 'assets'), prefix: '/assets/', maxAge: '1d' });
  await app.register(fastifyStatic, {
    root: assets,
    prefix: '/assets/govuk/',
    decorateReply: false,
    allowedPath: (path) => /^\/govuk-frontend\.min\.js(\.map)?$/.test(path),
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: join(__dirname, 'assets'),
    prefix: '/assets/web/',
    decorateReply: false,
  });
}

/**
 * Form bodies for web pages only. Called after Nest's init (which adds and then loses its own form parser, see
 * api-app.ts): a form sent to /api is still refused with 415, as the API promises.
 */
export function addWebFormParser(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (request, body, done) => {
      if (!isWebPage(request.url)) {
        done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('application/x-www-form-urlencoded'), undefined);
        return;
      }
      const form: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
      for (const [key, value] of new URLSearchParams(body as string)) {
        const existing = form[key];
        form[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
      }
      done(null, form);
    },
  );
}
