import { Module } from '@nestjs/common';
import { WebCoreModule } from '../web-core.module';
import { SignInWebController } from './sign-in.web.controller';

/** Signing in and out. */
@Module({ imports: [WebCoreModule], providers: [SignInWebController] })
export class AuthWebModule {}
