import { Module } from '@nestjs/common';
import type IORedis from 'ioredis';
import { AppConfig } from '@rt/config';
import { DomainModule } from '@rt/domain';
import { ActionWebController } from './actions/action.web.controller';
import { YourActionsWebController } from './actions/your-actions.web.controller';
import { SignInLockout } from './auth/sign-in-lockout.service';
import { SignInWebController } from './auth/sign-in.web.controller';
import { DashboardWebController } from './dashboard/dashboard.web.controller';
import { WebViews } from './views';
import { WEB_REDIS, webRedisProvider, WebRedisCloser } from './web-redis';
import { WebRoutes } from './web-routes';
import { WebSessionCheck } from './web-session.check';
import { webKeys } from './web-setup';

/** The GOV.UK web pages, served by the API process from the same domain services as the JSON API. */
@Module({
  imports: [DomainModule],
  providers: [
    SignInWebController,
    YourActionsWebController,
    ActionWebController,
    DashboardWebController,
    WebRoutes,
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
  exports: [WEB_REDIS, WebViews],
})
export class WebModule {}
