import { Module } from '@nestjs/common';
import { WebCoreModule } from '../web-core.module';
import { ActionWebController } from './action.web.controller';
import { YourActionsWebController } from './your-actions.web.controller';

/** Senior managers' pages: "Your actions" and an action's page with its update form. */
@Module({ imports: [WebCoreModule], providers: [YourActionsWebController, ActionWebController] })
export class ActionsWebModule {}
