import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, InspectionsService } from '@rt/domain';
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
  CreateFindingRequest,
  CreateInspectionRequest,
  FindingResponse,
  InspectionQuery,
  InspectionResponse,
  UpdateInspectionRequest,
} from './inspection.dto';

@ApiTags('inspections')
@ApiSignedIn()
@Controller('api/v1/inspections')
export class InspectionsApiController {
  constructor(private readonly inspections: InspectionsService) {}

  @Get()
  @Requires('inspections:read')
  @ApiOperation({ summary: 'Inspections you may see, newest first' })
  @ApiPage(InspectionResponse)
  list(@CurrentActor() actor: Actor, @Query() query: InspectionQuery) {
    const { limit, cursor, ...filter } = query;
    return this.inspections.list(actor, filter, { limit, cursor });
  }

  @Post()
  @Requires('inspections:write')
  @ApiOperation({ summary: 'Record a published inspection (admins; performance managers for their portfolio)' })
  @ApiEtagged(InspectionResponse, 201)
  @ApiRefused()
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateInspectionRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.inspections.create(actor, body));
  }

  @Get(':id')
  @Requires('inspections:read')
  @ApiEtagged(InspectionResponse)
  @ApiFound()
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.inspections.get(actor, id));
  }

  @Patch(':id')
  @Requires('inspections:write')
  @ApiEtagged(InspectionResponse)
  @ApiFound()
  @ApiRefused()
  @ApiConditionalUpdate()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @IfMatch() version: number,
    @Body() body: UpdateInspectionRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.inspections.update(actor, id, version, body));
  }

  @Get(':id/findings')
  @Requires('inspections:read')
  @ApiOperation({ summary: "The report's strengths and concerns, in report order" })
  @ApiPage(FindingResponse)
  @ApiFound()
  findings(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Query() query: PageQuery) {
    return this.inspections.listFindings(actor, id, query);
  }

  @Post(':id/findings')
  @Requires('inspections:write')
  @ApiCreatedResponse({ type: FindingResponse })
  @ApiFound()
  @ApiRefused()
  addFinding(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: CreateFindingRequest) {
    return this.inspections.addFinding(actor, id, body);
  }
}
