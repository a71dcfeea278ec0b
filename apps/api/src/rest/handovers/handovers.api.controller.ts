import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, HandoversService } from '@rt/domain';
import { CurrentActor, Requires } from '../auth/access.decorators';
import { ApiFound, ApiPage, ApiRefused, ApiSignedIn } from '../common/api-docs.decorators';
import { UuidPipe } from '../common/uuid.pipe';
import {
  CreateHandoverRequest,
  HandoverDryRunQuery,
  HandoverPlanResponse,
  HandoverQuery,
  HandoverResponse,
  HandoverSummaryResponse,
} from './handover.dto';

@ApiTags('handovers')
@ApiSignedIn()
@Controller('api/v1/handovers')
export class HandoversApiController {
  constructor(private readonly handovers: HandoversService) {}

  @Post()
  @HttpCode(201)
  @Requires('handovers:write')
  @ApiOperation({
    summary: 'Hand a restructured organisation’s open recommendations, with their actions, to its successors',
    description:
      'Admins, or performance managers for organisations in their portfolio. Every open recommendation (not ' +
      'verified, not not_accepted) of the predecessors must be allocated, explicitly or by ' +
      '`defaultToOrganisationId`, or the request is refused (422, rule `open-recommendations-allocated`) listing ' +
      'the unallocated ones. Closed recommendations stay. Everything moves in one transaction; each moved ' +
      'record’s history shows the move. Owners who do not belong to the successor are unassigned and listed. ' +
      'With `?dryRun=true`: 200 with what would move and any problem, and nothing changes.',
  })
  @ApiExtraModels(HandoverPlanResponse)
  @ApiCreatedResponse({ type: HandoverResponse, description: 'Done: what moved where' })
  @ApiOkResponse({
    description: 'Dry run: what would move, and any problem',
    schema: { $ref: getSchemaPath(HandoverPlanResponse) },
  })
  @ApiFound()
  @ApiRefused()
  async create(
    @CurrentActor() actor: Actor,
    @Query() query: HandoverDryRunQuery,
    @Body() body: CreateHandoverRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (query.dryRun) {
      reply.status(200);
      return this.handovers.perform(actor, body, true);
    }
    return this.handovers.perform(actor, body, false);
  }

  @Get()
  @Requires('handovers:read')
  @ApiOperation({
    summary: 'Hand-overs that concern you, newest first',
    description:
      'Performance managers see those touching their portfolio; senior managers and viewers those their ' +
      'organisation took work over in.',
  })
  @ApiPage(HandoverSummaryResponse)
  list(@CurrentActor() actor: Actor, @Query() query: HandoverQuery) {
    const { limit, cursor, ...filter } = query;
    return this.handovers.list(actor, filter, { limit, cursor });
  }

  @Get(':id')
  @Requires('handovers:read')
  @ApiOperation({ summary: 'One hand-over: what moved where, which actions lost their owner, what stayed' })
  @ApiOkResponse({ type: HandoverResponse })
  @ApiFound()
  get(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.handovers.get(actor, id);
  }
}
