import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@rt/config';
import { DatabaseModule } from '@rt/database';
import { Clock, ClockModule, DomainModule } from '@rt/domain';
import { HealthModule } from '@rt/health';
import { Mailer } from '@rt/notifications';
import { DigestQueue } from './delivery/digest-queue';
import { EmailQueue } from './delivery/email-queue';
import { DigestProcessor } from './processors/digest.processor';
import { DOMAIN_EVENT_SUBSCRIBERS } from './processors/domain-event-subscriber';
import { DomainEventsProcessor } from './processors/domain-events.processor';
import { EmailProcessor } from './processors/email.processor';
import { QUEUE_PROCESSORS } from './processors/queue-processor';
import { RemindersProcessor } from './processors/reminders.processor';
import { RollupsProcessor } from './processors/rollups.processor';
import { WorkersHost } from './processors/workers.host';
import { RedisPolicyCheck } from './redis-policy.check';
import { OutboxRelayService } from './relay/outbox-relay.service';
import { RollupRefreshQueue } from './rollups/rollup-refresh-queue';
import { JobSchedules } from './schedulers/job-schedules';
import { AssignmentSubscriber } from './subscribers/assignment.subscriber';
import { RollupsSubscriber } from './subscribers/rollups.subscriber';

export interface WorkerOptions {
  clock?: Clock;
  /** Tests that drive runs themselves leave the quarter-hourly schedule out. */
  schedule?: boolean;
}

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, options: WorkerOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(options.clock),
        DatabaseModule.forRoot({ poolSize: 10, applicationName: 'worker' }),
        DomainModule,
        HealthModule,
      ],
      providers: [
        RedisPolicyCheck,
        OutboxRelayService,
        Mailer,
        EmailQueue,
        DigestQueue,
        AssignmentSubscriber,
        RollupRefreshQueue,
        RollupsSubscriber,
        RollupsProcessor,
        DomainEventsProcessor,
        RemindersProcessor,
        EmailProcessor,
        DigestProcessor,
        WorkersHost,
        ...(options.schedule === false ? [] : [JobSchedules]),
        {
          provide: DOMAIN_EVENT_SUBSCRIBERS,
          useFactory: (assignment: AssignmentSubscriber, rollups: RollupsSubscriber) => [assignment, rollups],
          inject: [AssignmentSubscriber, RollupsSubscriber],
        },
        {
          provide: QUEUE_PROCESSORS,
          useFactory: (
            events: DomainEventsProcessor,
            reminders: RemindersProcessor,
            email: EmailProcessor,
            rollups: RollupsProcessor,
            digest: DigestProcessor,
          ) => [events, reminders, email, rollups, digest],
          inject: [DomainEventsProcessor, RemindersProcessor, EmailProcessor, RollupsProcessor, DigestProcessor],
        },
      ],
    };
  }
}
