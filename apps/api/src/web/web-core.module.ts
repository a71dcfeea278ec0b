import { Module } from '@nestjs/common';
import type IORedis from 'ioredis';
import { AppConfig } from '@rt/config';
import { DomainModule } from '@rt/domain';
import { SignInLockout } from './auth/sign-in-lockout.service';
import { WebViews } from './views';
import { WEB_REDIS, webRedisProvider, WebRedisCloser } from './web-redis';
import { WebSessionCheck } from './web-session.check';
import { webKeys } from './web-setup';

/**
 * What every page module needs: the views, the web layer's Redis (sessions, sign-in failures), the session check.
 * Each area of the service (actions, dashboard, admin…) is its own module importing this one.
 */
@Module({
  imports: [DomainModule],
  providers: [
    webRedisProvider,
    WebRedisCloser,
    WebSessionCheck,
    {
      provide: WebViews,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new WebViews(config.nodeEnv === 'production'),
    },
    {
      provide: SignInLockout,
      inject: [WEB_REDIS, AppConfig],
      useFactory: (redis: IORedis, config: AppConfig) => new SignInLockout(redis, webKeys(config).signInFailures),
    },
  ],
  exports: [DomainModule, WEB_REDIS, WebViews, WebSessionCheck, SignInLockout],
})
export class WebCoreModule {}
