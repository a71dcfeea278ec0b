import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig, ConfigModule } from '@rt/config';
import { DatabaseModule } from '@rt/database';
import { Clock, ClockModule, DomainModule } from '@rt/domain';
import { HealthModule } from '@rt/health';
import { DEFAULT_JOB_OPTIONS, QueueName, redisOptions } from '@rt/jobs';
import { LoggingModule } from '@rt/logging';
import { DOMAIN_EVENT_SUBSCRIBERS } from './processors/domain-event-subscriber';
import { DomainEventsProcessor } from './processors/domain-events.processor';
import { RedisPolicyCheck } from './redis-policy.check';
import { OutboxRelayService } from './relay/outbox-relay.service';

export interface WorkerOptions {
  clock?: Clock;
}

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, options: WorkerOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(options.clock),
        LoggingModule.forRoot('worker'),
        DatabaseModule.forRoot({ poolSize: 10, applicationName: 'worker' }),
        DomainModule,
        HealthModule,
        BullModule.forRoot({
          connection: redisOptions(config.redisUrl),
          prefix: config.queuePrefix,
          defaultJobOptions: DEFAULT_JOB_OPTIONS,
        }),
        BullModule.registerQueue({ name: QueueName.DomainEvents }),
      ],
      providers: [
        RedisPolicyCheck,
        OutboxRelayService,
        DomainEventsProcessor,
        // Reminders and roll-ups register here as they arrive.
        { provide: DOMAIN_EVENT_SUBSCRIBERS, useValue: [] },
      ],
    };
  }
}
