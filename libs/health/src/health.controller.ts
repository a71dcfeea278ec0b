import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis.health';
import { Public } from './public.decorator';

/** `/health`: the process is alive. `/health/ready`: PostgreSQL and Redis answer (503 otherwise). */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @Public()
  alive() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) reply: { status(code: number): unknown }) {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: 1_000 }),
        () => this.redis.check('redis'),
      ]);
    } catch (error) {
      // Answer with terminus's own report of what is down, not a generic error.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse();
    }
  }
}
