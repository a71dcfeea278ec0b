import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { DomainModule } from '@rt/domain';
import { JobsProducer } from '@rt/jobs';
import { ActionPlansApiController } from './action-plans/action-plans.api.controller';
import { ActionsApiController } from './actions/actions.api.controller';
import { AccessGuard } from './auth/access.guard';
import { AuthApiController } from './auth/auth.api.controller';
import { RouteAccessAudit } from './auth/route-access.audit';
import { TokenService } from './auth/token.service';
import { HandoversApiController } from './handovers/handovers.api.controller';
import { InspectionsApiController } from './inspections/inspections.api.controller';
import { JobsApiController } from './jobs/jobs.api.controller';
import { MeApiController } from './me/me.api.controller';
import { NotificationsApiController } from './notifications/notifications.api.controller';
import { OrganisationsApiController } from './organisations/organisations.api.controller';
import { RecommendationsApiController } from './recommendations/recommendations.api.controller';
import { ReminderSettingsApiController } from './reminder-settings/reminder-settings.api.controller';
import { RollupsApiController } from './rollups/rollups.api.controller';
import { SnapshotsApiController } from './snapshots/snapshots.api.controller';
import { UsersApiController } from './users/users.api.controller';

/** The JSON API under /api/v1: thin controllers over the domain services. */
@Module({
  imports: [DomainModule, DiscoveryModule],
  controllers: [
    AuthApiController,
    MeApiController,
    OrganisationsApiController,
    UsersApiController,
    InspectionsApiController,
    RecommendationsApiController,
    ActionsApiController,
    ReminderSettingsApiController,
    NotificationsApiController,
    JobsApiController,
    RollupsApiController,
    SnapshotsApiController,
    ActionPlansApiController,
    HandoversApiController,
  ],
  providers: [TokenService, JobsProducer, RouteAccessAudit, { provide: APP_GUARD, useClass: AccessGuard }],
  // Startup asks the worker for the demo story's roll-ups through the same producer.
  exports: [JobsProducer],
})
export class RestModule {}
