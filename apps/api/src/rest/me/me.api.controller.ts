import { Body, Controller, Get, Patch, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, UsersService } from '@rt/domain';
import { Authenticated, CurrentActor } from '../auth/access.decorators';
import { ApiConditionalUpdate, ApiEtagged, ApiSignedIn } from '../common/api-docs.decorators';
import { IfMatch, sendWithEtag } from '../common/etag';
import { UpdateMeRequest, UserResponse } from '../users/user.dto';

@ApiTags('auth')
@ApiSignedIn()
@Controller('api/v1/me')
export class MeApiController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendWithEtag(reply, await this.users.get(actor, actor.id));
  }

  @Patch()
  @Authenticated()
  @ApiOperation({ summary: 'Change your own preferences (how you get reminders; the weekly digest)' })
  @ApiEtagged(UserResponse)
  @ApiConditionalUpdate()
  async update(
    @CurrentActor() actor: Actor,
    @IfMatch() version: number,
    @Body() body: UpdateMeRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.users.updateOwnPreferences(actor, version, body));
  }
}
