import { Body, Controller, Get, Param, Patch, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, ReminderSettingsService } from '@rt/domain';
import { CurrentActor, Requires } from '../auth/access.decorators';
import { ApiConditionalUpdate, ApiEtagged, ApiFound, ApiSignedIn } from '../common/api-docs.decorators';
import { IfMatch, sendWithEtag } from '../common/etag';
import { UuidPipe } from '../common/uuid.pipe';
import {
  OrganisationReminderSettingsResponse,
  ReminderDefaultsResponse,
  UpdateOrganisationReminderSettingsRequest,
  UpdateReminderDefaultsRequest,
} from './reminder-settings.dto';

@ApiTags('reminders')
@ApiSignedIn()
@Controller('api/v1')
export class ReminderSettingsApiController {
  constructor(private readonly settings: ReminderSettingsService) {}

  @Get('reminder-settings')
  @Requires('settings:read')
  @ApiOperation({ summary: 'The default reminder settings (offsets, repeats, escalation, send time)' })
  @ApiEtagged(ReminderDefaultsResponse)
  async defaults(@Res({ passthrough: true }) reply: FastifyReply) {
    return sendWithEtag(reply, await this.settings.defaults());
  }

  @Patch('reminder-settings')
  @Requires('settings:write')
  @ApiOperation({ summary: 'Change the default reminder settings (admins)' })
  @ApiEtagged(ReminderDefaultsResponse)
  @ApiConditionalUpdate()
  async updateDefaults(
    @IfMatch() version: number,
    @Body() body: UpdateReminderDefaultsRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.settings.updateDefaults(version, body));
  }

  @Get('organisations/:id/reminder-settings')
  @Requires('settings:read')
  @ApiOperation({ summary: "An organisation's reminder settings: its own values and what applies" })
  @ApiEtagged(OrganisationReminderSettingsResponse)
  @ApiFound()
  async forOrganisation(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.settings.forOrganisation(actor, id));
  }

  @Patch('organisations/:id/reminder-settings')
  @Requires('settings:write')
  @ApiOperation({ summary: "Set (or, with null, clear) an organisation's own reminder settings (admins)" })
  @ApiEtagged(OrganisationReminderSettingsResponse)
  @ApiFound()
  @ApiConditionalUpdate()
  async updateForOrganisation(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @IfMatch() version: number,
    @Body() body: UpdateOrganisationReminderSettingsRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendWithEtag(reply, await this.settings.updateForOrganisation(actor, id, version, body));
  }
}
