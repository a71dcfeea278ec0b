import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, addDays, DomainException, RollupsService } from '@rt/domain';
import { JobsProducer } from '@rt/jobs';
import { CurrentActor, Requires } from '../auth/access.decorators';
import { ApiFound, ApiSignedIn } from '../common/api-docs.decorators';
import { JobAccepted } from '../jobs/jobs.dto';
import {
  RollupJobStateResponse,
  RollupListResponse,
  RollupPortfolioResponse,
  RollupQuery,
  RollupTrendQuery,
  RollupTrendResponse,
} from './rollup.dto';

const FRESHNESS =
  'Figures come from roll-up tables the worker keeps fresh within about two seconds of a change; `asOf` says up ' +
  'to when every change is included. Overdue and RAG are for today in London.';

@ApiTags('rollups')
@ApiSignedIn()
@Controller('api/v1')
export class RollupsApiController {
  constructor(
    private readonly rollups: RollupsService,
    private readonly jobs: JobsProducer,
  ) {}

  @Get('rollups')
  @Requires('rollups:read')
  @ApiOperation({
    summary: 'Progress roll-ups by organisation, inspection, recommendation, theme or region, within your scope',
    description: FRESHNESS,
  })
  @ApiOkResponse({ type: RollupListResponse })
  list(@CurrentActor() actor: Actor, @Query() query: RollupQuery) {
    const { groupBy, limit, cursor, ...filter } = query;
    return this.rollups.list(actor, groupBy, filter, { limit, cursor });
  }

  @Get('rollups/portfolio')
  @Requires('rollups:read')
  @ApiOperation({ summary: 'Your whole portfolio (everything you may see) as one roll-up', description: FRESHNESS })
  @ApiOkResponse({ type: RollupPortfolioResponse })
  portfolio(@CurrentActor() actor: Actor) {
    return this.rollups.portfolio(actor);
  }

  @Get('rollups/trend')
  @Requires('rollups:read')
  @ApiOperation({
    summary: 'One roll-up over time: one point per day recorded (late each evening, London)',
    description: 'Only days with figures in your scope appear. At most 400 days per request.',
  })
  @ApiOkResponse({ type: RollupTrendResponse })
  trend(@CurrentActor() actor: Actor, @Query() query: RollupTrendQuery) {
    const to = query.to ?? this.rollups.today();
    const from = query.from ?? addDays(to, -30);
    if (from > to) throw DomainException.malformed('from', 'from must not be after to');
    if (addDays(from, 400) < to) throw DomainException.malformed('from', 'at most 400 days at a time');
    return this.rollups.trend(actor, query.groupBy, query.key, from, to);
  }

  @Post('jobs/rollups/reconcile')
  @HttpCode(202)
  @Requires('jobs:run')
  @ApiOperation({
    summary: 'Recompute every roll-up from source now, repairing any drift (admins)',
    description: 'The worker also does this every night just after midnight, London. 503 when the queue is down.',
  })
  @ApiAcceptedResponse({ type: JobAccepted })
  async reconcile(): Promise<JobAccepted> {
    return { jobId: await this.jobs.reconcileRollupsNow() };
  }

  @Get('jobs/rollups/reconcile/:jobId')
  @Requires('jobs:run')
  @ApiOperation({ summary: "A reconciliation's state and, when done, what it repaired" })
  @ApiOkResponse({ type: RollupJobStateResponse })
  @ApiFound()
  async reconcileState(@Param('jobId') jobId: string): Promise<RollupJobStateResponse> {
    if (!/^rollups-reconcile-[0-9a-f-]{36}$/.test(jobId)) throw DomainException.notFound('Job');
    const job = await this.jobs.rollupsJob(jobId);
    if (!job) throw DomainException.notFound('Job');
    return { jobId, ...job };
  }
}
