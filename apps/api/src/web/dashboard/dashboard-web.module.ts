import { Module } from '@nestjs/common';
import { WebCoreModule } from '../web-core.module';
import { DashboardActionRows } from './dashboard-action-rows';
import { DashboardTrends } from './dashboard-trends';
import { DashboardWebController } from './dashboard.web.controller';
import { OrganisationDashboardWebController } from './organisation-dashboard.web.controller';
import { OverdueWebController } from './overdue.web.controller';
import { SnapshotsWebController } from './snapshots.web.controller';
import { VerificationWebController } from './verification.web.controller';

/**
 * The performance manager dashboard: the portfolio and its trend, an organisation's drill-down, actions awaiting
 * verification (verify or reopen), overdue actions, and snapshots with their differences.
 */
@Module({
  imports: [WebCoreModule],
  providers: [
    DashboardTrends,
    DashboardActionRows,
    DashboardWebController,
    OrganisationDashboardWebController,
    VerificationWebController,
    OverdueWebController,
    SnapshotsWebController,
  ],
})
export class DashboardWebModule {}
