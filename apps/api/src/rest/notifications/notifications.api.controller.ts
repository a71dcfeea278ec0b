import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, NotificationsService } from '@rt/domain';
import { CurrentActor, Requires } from '../auth/access.decorators';
import { ApiPage, ApiSignedIn } from '../common/api-docs.decorators';
import { NotificationQuery, NotificationResponse } from './notification.dto';

@ApiTags('reminders')
@ApiSignedIn()
@Controller('api/v1/notifications')
export class NotificationsApiController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Requires('notifications:read')
  @ApiOperation({
    summary: 'The reminder and escalation log, newest first (admins; performance managers for their portfolio)',
  })
  @ApiPage(NotificationResponse)
  list(@CurrentActor() actor: Actor, @Query() query: NotificationQuery) {
    const { limit, cursor, ...filter } = query;
    return this.notifications.list(actor, filter, { limit, cursor });
  }
}
