import { Module } from '@nestjs/common';
import { WebCoreModule } from '../web-core.module';
import { ActionPlanWebController } from './action-plan.web.controller';
import { InspectionWebController } from './inspection.web.controller';
import { RecommendationsImportWebController } from './recommendations-import.web.controller';

/** An inspection's page, its printable action plan and exports, and the import of its recommendations. */
@Module({
  imports: [WebCoreModule],
  providers: [InspectionWebController, ActionPlanWebController, RecommendationsImportWebController],
})
export class InspectionsWebModule {}
