import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@rt/config';
import { DemoSeedService, UsersService } from '@rt/domain';
import { JobsProducer } from '@rt/jobs';

/**
 * First admin from ADMIN_EMAIL/ADMIN_PASSWORD, and the demo story when SEED_DEMO is on, on an empty database. The
 * demo story is written without events, so its roll-ups are then asked for at once (a reconciliation) rather than
 * left to the night.
 */
@Injectable()
export class StartupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Startup');

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly demo: DemoSeedService,
    private readonly jobs: JobsProducer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.admin && (await this.users.ensureFirstAdmin(this.config.admin.email, this.config.admin.password))) {
      this.logger.log(`Created the first admin, ${this.config.admin.email}`);
    }
    if (!this.config.seedDemo) return;
    if (!(await this.demo.seedIfEmpty(this.config.demoPassword))) return;
    this.logger.log('Loaded the demo story');
    try {
      await this.jobs.reconcileRollupsNow();
    } catch (error) {
      this.logger.warn(
        { error: (error as Error).message },
        'Could not ask for the demo roll-ups now; the nightly reconciliation will make them',
      );
    }
  }
}
