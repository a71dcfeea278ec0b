import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@rt/config';
import { DemoSeedService, UsersService } from '@rt/domain';

/** First admin from ADMIN_EMAIL/ADMIN_PASSWORD, and the demo story when SEED_DEMO is on, on an empty database. */
@Injectable()
export class StartupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Startup');

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly demo: DemoSeedService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.admin && (await this.users.ensureFirstAdmin(this.config.admin.email, this.config.admin.password))) {
      this.logger.log(`Created the first admin, ${this.config.admin.email}`);
    }
    if (!this.config.seedDemo) return;
    if (await this.demo.seedIfEmpty(this.config.demoPassword)) this.logger.log('Loaded the demo story');
  }
}
