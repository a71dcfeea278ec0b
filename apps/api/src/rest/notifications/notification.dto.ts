import { ApiProperty } from '@nestjs/swagger';
import {
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
  NotificationFilter,
  NotificationKind,
  NotificationReason,
  NotificationStatus,
  NotificationView,
} from '@rt/domain';
import { IsISO8601 } from 'class-validator';
import { EnumField, IsOptionalNotNull, UuidField } from '../common/dto-decorators';
import { PageQuery } from '../common/pagination.dto';
import { ApiPropertyOptional } from '@nestjs/swagger';

export class NotificationQuery extends PageQuery implements NotificationFilter {
  @UuidField({ required: false, description: 'The user it was for' })
  recipientId?: string;

  @UuidField({ required: false })
  actionId?: string;

  @EnumField(NOTIFICATION_KINDS, { required: false })
  kind?: NotificationKind;

  @EnumField(NOTIFICATION_STATUSES, { required: false })
  status?: NotificationStatus;

  @ApiPropertyOptional({ format: 'date-time', description: 'Recorded at or after' })
  @IsOptionalNotNull()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Recorded before' })
  @IsOptionalNotNull()
  @IsISO8601({ strict: true })
  to?: string;
}

export class NotificationResponse implements NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Unique: action, kind, due date, occurrence and recipient' }) key: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty({ enum: ['before', 'due', 'overdue', 'escalation', 'assigned'] }) reason: NotificationReason;
  @ApiProperty({ description: 'Days before (before), weeks overdue (overdue), repeat number (escalation)' })
  occurrence: number;
  @ApiProperty({ format: 'uuid' }) actionId: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ format: 'uuid' }) recipientId: string;
  @ApiProperty() recipientEmail: string;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty({ format: 'date', description: 'The day it fell due to be sent' }) triggerDate: string;
  @ApiProperty({ format: 'date', description: 'The day it may go (weekly readers: the Monday)' }) deliverOn: string;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status: NotificationStatus;
  @ApiProperty({ type: String, nullable: true }) skipReason: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, nullable: true }) messageId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: string | null;
}
