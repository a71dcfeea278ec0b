import { Module } from '@nestjs/common';
import { WebCoreModule } from '../web-core.module';
import { AdminIndexWebController } from './admin-index.web.controller';
import { HandoverWizardWebController } from './handovers/handover-wizard.web.controller';
import { HandoversWebController } from './handovers/handovers.web.controller';
import { FindingsWebController } from './inspections/findings.web.controller';
import { InspectionsWebController } from './inspections/inspections.web.controller';
import { NotificationsWebController } from './notifications/notifications.web.controller';
import { OrganisationsWebController } from './organisations/organisations.web.controller';
import { QueueDashboard } from './queues/queue-dashboard';
import { SettingsWebController } from './settings/settings.web.controller';
import { PortfolioWebController } from './users/portfolio.web.controller';
import { UsersWebController } from './users/users.web.controller';

/** The admin pages (admins only; everyone else gets the 404 page), each area in its own folder. */
@Module({
  imports: [WebCoreModule],
  providers: [
    AdminIndexWebController,
    OrganisationsWebController,
    UsersWebController,
    PortfolioWebController,
    InspectionsWebController,
    FindingsWebController,
    HandoversWebController,
    HandoverWizardWebController,
    NotificationsWebController,
    SettingsWebController,
    QueueDashboard,
  ],
})
export class AdminWebModule {}
