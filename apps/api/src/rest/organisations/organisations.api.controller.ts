import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, OrganisationsService } from '@rt/domain';
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
import { UuidPipe } from '../common/uuid.pipe';
import {
  CreateOrganisationRequest,
  OrganisationQuery,
  OrganisationResponse,
  UpdateOrganisationRequest,
} from './organisation.dto';

@ApiTags('organisations')
@ApiSignedIn()
@Controller('api/v1/organisations')
export class OrganisationsApiController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @Requires('organisations:read')
  @ApiOperation({ summary: 'Organisations you may see, by name' })
  @ApiPage(OrganisationResponse)
  list(@CurrentActor() actor: Actor, @Query() query: OrganisationQuery) {
    const { limit, cursor, ...filter } = query;
    return this.organisations.list(actor, filter, { limit, cursor });
  }

  @Post()
  @Requires('organisations:write')
  @ApiOperation({ summary: 'Add an organisation (admins)' })
  @ApiEtagged(OrganisationResponse, 201)
  @ApiRefused()
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateOrganisationRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.organisations.create(actor, body));
  }

  @Get(':id')
  @Requires('organisations:read')
  @ApiEtagged(OrganisationResponse)
  @ApiFound()
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.organisations.get(actor, id));
  }

  @Patch(':id')
  @Requires('organisations:write')
  @ApiOperation({ summary: 'Change an organisation (admins)' })
  @ApiEtagged(OrganisationResponse)
  @ApiFound()
  @ApiRefused()
  @ApiConditionalUpdate()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @IfMatch() version: number,
    @Body() body: UpdateOrganisationRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.organisations.update(actor, id, version, body));
  }
}
