import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, RecommendationsService } from '@rt/domain';
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
  CreateRecommendationRequest,
  RecommendationResponse,
  RecommendationUpdateResponse,
  UpdateRecommendationRequest,
} from './recommendation.dto';

@ApiTags('recommendations')
@ApiSignedIn()
@Controller('api/v1')
export class RecommendationsApiController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @Get('inspections/:id/recommendations')
  @Requires('recommendations:read')
  @ApiOperation({ summary: "An inspection's recommendations you may see, in report order" })
  @ApiPage(RecommendationResponse)
  @ApiFound()
  list(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Query() query: PageQuery) {
    return this.recommendations.listForInspection(actor, id, query);
  }

  @Post('inspections/:id/recommendations')
  @Requires('recommendations:write')
  @ApiOperation({ summary: 'Add a recommendation (admins; performance managers for their portfolio)' })
  @ApiEtagged(RecommendationResponse, 201)
  @ApiFound()
  @ApiRefused()
  async create(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() body: CreateRecommendationRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.recommendations.create(actor, id, body));
  }

  @Get('recommendations/:id')
  @Requires('recommendations:read')
  @ApiEtagged(RecommendationResponse)
  @ApiFound()
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.recommendations.get(actor, id));
  }

  @Patch('recommendations/:id')
  @Requires('recommendations:update')
  @ApiOperation({
    summary: 'Change a recommendation',
    description:
      'Senior managers record their organisation’s response (and rationale); admins and performance managers may ' +
      'change any field. `not_accepted` needs a rationale.',
  })
  @ApiEtagged(RecommendationResponse)
  @ApiFound()
  @ApiRefused()
  @ApiConditionalUpdate()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @IfMatch() version: number,
    @Body() body: UpdateRecommendationRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.recommendations.update(actor, id, version, body));
  }

  @Get('recommendations/:id/updates')
  @Requires('recommendations:read')
  @ApiOperation({ summary: "The recommendation's history, newest first" })
  @ApiPage(RecommendationUpdateResponse)
  @ApiFound()
  history(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Query() query: PageQuery) {
    return this.recommendations.history(actor, id, query);
  }
}
