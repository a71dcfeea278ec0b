import { Body, Controller, Get, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, UsersService } from '@rt/domain';
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
import { CreateUserRequest, PortfolioRequest, UpdateUserRequest, UserQuery, UserResponse } from './user.dto';

@ApiTags('users')
@ApiSignedIn()
@Controller('api/v1/users')
export class UsersApiController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Requires('users:read')
  @ApiOperation({ summary: 'Users of the organisations you may see, by name' })
  @ApiPage(UserResponse)
  list(@CurrentActor() actor: Actor, @Query() query: UserQuery) {
    const { limit, cursor, ...filter } = query;
    return this.users.list(actor, filter, { limit, cursor });
  }

  @Post()
  @Requires('users:write')
  @ApiOperation({ summary: 'Add a user (admins)' })
  @ApiEtagged(UserResponse, 201)
  @ApiRefused()
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateUserRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.users.create(actor, body));
  }

  @Get(':id')
  @Requires('users:read')
  @ApiEtagged(UserResponse)
  @ApiFound()
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.users.get(actor, id));
  }

  @Patch(':id')
  @Requires('users:write')
  @ApiOperation({ summary: 'Change a user (admins); disabling voids their tokens at once' })
  @ApiEtagged(UserResponse)
  @ApiFound()
  @ApiRefused()
  @ApiConditionalUpdate()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @IfMatch() version: number,
    @Body() body: UpdateUserRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.users.update(actor, id, version, body));
  }

  @Put(':id/portfolio')
  @Requires('users:write')
  @ApiOperation({ summary: "Set a performance manager's portfolio (admins)" })
  @ApiEtagged(UserResponse)
  @ApiFound()
  @ApiRefused()
  async setPortfolio(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() body: PortfolioRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.users.setPortfolio(actor, id, body.organisationIds));
  }
}
