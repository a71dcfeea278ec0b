import { Module } from '@nestjs/common';
import { ActionsService } from './actions/actions.service';
import { AuthService } from './auth/auth.service';
import { DemoSeedService } from './demo/demo-seed.service';
import { InspectionsService } from './inspections/inspections.service';
import { OrganisationsService } from './organisations/organisations.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { RecommendationsService } from './recommendations/recommendations.service';
import { UsersService } from './users/users.service';

const SERVICES = [
  ActionsService,
  AuthService,
  DemoSeedService,
  InspectionsService,
  OrganisationsService,
  OutboxRepository,
  RecommendationsService,
  UsersService,
];

/** The business, free of transport: every app imports this with a DataSource and a ClockModule available. */
@Module({
  providers: SERVICES,
  exports: SERVICES,
})
export class DomainModule {}
