import { Module } from '@nestjs/common';
import { WebCoreModule } from '../web-core.module';
import { RecommendationActionsWebController } from './recommendation-actions.web.controller';
import { RecommendationWebController } from './recommendation.web.controller';

/** A recommendation's page, its "Edit response" form, and adding and assigning its actions. */
@Module({ imports: [WebCoreModule], providers: [RecommendationWebController, RecommendationActionsWebController] })
export class RecommendationsWebModule {}
