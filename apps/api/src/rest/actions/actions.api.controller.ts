import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { ActionsService, Actor } from '@rt/domain';
import { CurrentActor, Requires } from '../auth/access.decorators';
import {
  ApiConditionalUpdate,
  ApiEtagged,
  ApiFound,
  ApiPage,
  ApiRefused,
  ApiSignedIn,
} from '../common/api-docs.decorators';
import { IfMatch, sendWithEtag } from '../common/etag';
import { PageQuery } from '../common/pagination.dto';
import { UuidPipe } from '../common/uuid.pipe';
import {
  ActionQuery,
  ActionResponse,
  ActionUpdateResponse,
  CreateActionRequest,
  UpdateActionRequest,
} from './action.dto';

@ApiTags('actions')
@ApiSignedIn()
@Controller('api/v1')
export class ActionsApiController {
  constructor(private readonly actions: ActionsService) {}

  @Get('recommendations/:id/actions')
  @Requires('actions:read')
  @ApiOperation({ summary: "A recommendation's actions, by due date" })
  @ApiPage(ActionResponse)
  @ApiFound()
  forRecommendation(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Query() query: PageQuery) {
    return this.actions.listForRecommendation(actor, id, query);
  }

  @Post('recommendations/:id/actions')
  @Requires('actions:create')
  @ApiOperation({ summary: 'Add an action to a recommendation (senior managers of its organisation; admins)' })
  @ApiEtagged(ActionResponse, 201)
  @ApiFound()
  @ApiRefused()
  async create(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() body: CreateActionRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.actions.create(actor, id, body));
  }

  @Get('actions')
  @Requires('actions:read')
  @ApiOperation({ summary: 'Actions you may see, filtered, by due date' })
  @ApiPage(ActionResponse)
  list(@CurrentActor() actor: Actor, @Query() query: ActionQuery) {
    const { limit, cursor, owner, status, ...filter } = query;
    const unassigned = owner === 'none';
    const ownerId = owner === 'me' ? actor.id : unassigned ? undefined : owner?.toLowerCase();
    return this.actions.list(actor, { ...filter, ownerId, unassigned, statuses: status }, { limit, cursor });
  }

  @Get('actions/:id')
  @Requires('actions:read')
  @ApiEtagged(ActionResponse)
  @ApiFound()
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.actions.get(actor, id));
  }

  @Patch('actions/:id')
  @Requires('actions:update')
  @ApiOperation({
    summary: 'Update an action',
    description:
      'Senior managers of the owning organisation update progress, status, owner, dates and evidence; performance ' +
      'managers verify, reopen or comment. Every change is kept in the history with its comment.',
  })
  @ApiEtagged(ActionResponse)
  @ApiFound()
  @ApiRefused()
  @ApiConditionalUpdate()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @IfMatch() version: number,
    @Body() body: UpdateActionRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.actions.update(actor, id, version, body));
  }

  @Get('actions/:id/updates')
  @Requires('actions:read')
  @ApiOperation({ summary: "The action's history, newest first: who, when, what changed from what to what, and why" })
  @ApiPage(ActionUpdateResponse)
  @ApiFound()
  history(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Query() query: PageQuery) {
    return this.actions.history(actor, id, query);
  }
}
