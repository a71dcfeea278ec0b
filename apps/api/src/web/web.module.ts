import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ActionsWebModule } from './actions/actions-web.module';
import { AdminWebModule } from './admin/admin-web.module';
import { AuthWebModule } from './auth/auth-web.module';
import { DashboardWebModule } from './dashboard/dashboard-web.module';
import { InspectionsWebModule } from './inspections/inspections-web.module';
import { PreferencesWebModule } from './preferences/preferences-web.module';
import { RecommendationsWebModule } from './recommendations/recommendations-web.module';
import { WebCoreModule } from './web-core.module';
import { WebRoutes } from './web-routes';

/**
 * The GOV.UK web pages, served by the API process from the same domain services as the JSON API. Each area is
 * its own module (its folder); WebRoutes adds the routes of every provider marked @WebPagesProvider().
 */
@Module({
  imports: [
    DiscoveryModule,
    WebCoreModule,
    AuthWebModule,
    ActionsWebModule,
    DashboardWebModule,
    PreferencesWebModule,
    AdminWebModule,
    RecommendationsWebModule,
    InspectionsWebModule,
  ],
  providers: [WebRoutes],
  exports: [WebCoreModule],
})
export class WebModule {}
