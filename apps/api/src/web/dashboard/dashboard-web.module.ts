import { Module } from '@nestjs/common';
import { WebCoreModule } from '../web-core.module';
import { DashboardWebController } from './dashboard.web.controller';

/** The performance manager dashboard. */
@Module({ imports: [WebCoreModule], providers: [DashboardWebController] })
export class DashboardWebModule {}
