import { Module } from '@nestjs/common';
import { ActionPlanImportService } from './action-plans/action-plan-import.service';
import { ActionPlansService } from './action-plans/action-plans.service';
import { ActionsService } from './actions/actions.service';
import { AuthService } from './auth/auth.service';
import { DemoSeedService } from './demo/demo-seed.service';
import { DigestDeliveryService } from './digest/digest-delivery.service';
import { DigestService } from './digest/digest.service';
import { HandoversService } from './handovers/handovers.service';
import { InspectionsService } from './inspections/inspections.service';
import { OrganisationsService } from './organisations/organisations.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { RecommendationsService } from './recommendations/recommendations.service';
import { RollupsService } from './rollups/rollups.service';
import { SnapshotsService } from './snapshots/snapshots.service';
import { AssignmentNotificationsService } from './reminders/assignment-notifications.service';
import { NotificationsService } from './reminders/notifications.service';
import { ReminderDeliveryService } from './reminders/reminder-delivery.service';
import { ReminderRunService } from './reminders/reminder-run.service';
import { ReminderSettingsService } from './reminders/reminder-settings.service';
import { WorkingCalendar } from './reminders/working-calendar';
import { UsersService } from './users/users.service';

const SERVICES = [
  ActionPlanImportService,
  ActionPlansService,
  ActionsService,
  AuthService,
  DemoSeedService,
  DigestService,
  DigestDeliveryService,
  HandoversService,
  InspectionsService,
  OrganisationsService,
  OutboxRepository,
  RecommendationsService,
  RollupsService,
  SnapshotsService,
  UsersService,
  AssignmentNotificationsService,
  NotificationsService,
  ReminderDeliveryService,
  ReminderRunService,
  ReminderSettingsService,
  WorkingCalendar,
];

/** The business, free of transport: every app imports this with a DataSource and a ClockModule available. */
@Module({
  providers: SERVICES,
  exports: SERVICES,
})
export class DomainModule {}
