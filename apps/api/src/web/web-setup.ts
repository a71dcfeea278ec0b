import { createHmac } from 'node:crypto';
import { dirname, join } from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import { FastifyInstance } from 'fastify';
import type IORedis from 'ioredis';
import { AppConfig } from '@rt/config';
import { RedisSessionStore } from './redis-session.store';
import { isApiPath } from './web-paths';
import { SESSION_COOKIE } from './web-session';

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
 * Everything the web pages need from Fastify, registered in the pages' own Fastify scope (see WebRoutes): cookies,
 * sessions in Redis, CSRF tokens, security headers with a per-request CSP nonce, form bodies, file uploads,
 * compression and the static files. The JSON API's routes live outside that scope, so none of these hooks, headers,
 * cookies or parsers ever run for them: a form or multipart body sent to /api is refused with 415 as before.
 */
export async function setUpWeb(web: FastifyInstance, config: AppConfig, redis: IORedis): Promise<void> {
  const idleSeconds = config.webSessionIdleMinutes * 60;
  const sessionSecret = createHmac('sha256', config.tokenSecret).update('web-session-cookie').digest('hex');

  await web.register(fastifyCookie);
  await web.register(fastifySession, {
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
  await web.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });
  await web.register(fastifyHelmet, { global: false, enableCSPNonces: true });
  web.addHook('onRequest', (request, reply, done) => {
    // An unknown /api path reaches the scope's catch-all (WebRoutes) only to be passed on to the API's 404.
    if (isApiPath(request.url)) return done();
    void reply.helmet({
      contentSecurityPolicy: contentSecurityPolicy(config, reply.cspNonce.script),
      strictTransportSecurity: config.nodeEnv === 'production',
      crossOriginEmbedderPolicy: false,
    });
    done();
  });

  // File uploads: fields and the file are read into the body before the page's handler (and its CSRF check) runs.
  await web.register(fastifyMultipart, {
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
  addWebFormParser(web);

  // Pages and their files are compressed for browsers that ask (brotli or gzip); no request body is decompressed.
  await web.register(fastifyCompress, { globalDecompression: false, threshold: 1024, encodings: ['br', 'gzip'] });

  // GOV.UK Frontend's fonts, images and script; the stylesheet is our own build of its Sass (application.css).
  const assets = join(packageDir('govuk-frontend'), 'dist', 'govuk');
  await web.register(fastifyStatic, { root: join(assets, 'assets'), prefix: '/assets/', maxAge: '1d' });
  await web.register(fastifyStatic, {
    root: assets,
    prefix: '/assets/govuk/',
    decorateReply: false,
    allowedPath: (path) => /^\/govuk-frontend\.min\.js(\.map)?$/.test(path),
    maxAge: '1d',
  });
  await web.register(fastifyStatic, {
    root: join(__dirname, 'assets'),
    prefix: '/assets/web/',
    decorateReply: false,
  });
}

/** Form bodies, as a record of fields (a repeated field becomes an array). */
function addWebFormParser(web: FastifyInstance): void {
  web.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => {
      const form: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
      for (const [key, value] of new URLSearchParams(body as string)) {
        const existing = form[key];
        form[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
      }
      done(null, form);
    },
  );
}
