import { Module } from '@nestjs/common';
import { WebCoreModule } from '../web-core.module';
import { PreferencesWebController } from './preferences.web.controller';

/** Every signed-in user's own settings: "Your preferences". */
@Module({ imports: [WebCoreModule], providers: [PreferencesWebController] })
export class PreferencesWebModule {}
