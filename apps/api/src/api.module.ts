import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@rt/config';
import { DatabaseModule } from '@rt/database';
import { Clock, ClockModule, DomainModule } from '@rt/domain';
import { HealthModule } from '@rt/health';
import { RestModule } from './rest/rest.module';
import { StartupService } from './startup.service';
import { WebModule } from './web/web.module';

export interface ApiOptions {
  clock?: Clock;
}

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, options: ApiOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(options.clock),
        DatabaseModule.forRoot({ poolSize: 20, applicationName: 'api' }),
        DomainModule,
        HealthModule,
        RestModule,
        WebModule,
      ],
      providers: [StartupService],
    };
  }
}
