import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import {
  ACTION_STATUSES,
  ActionStatus,
  ActionUpdateView,
  ActionView,
  CreateActionInput,
  Rag,
  RAGS,
  UpdateActionInput,
} from '@rt/domain';
import {
  BooleanField,
  DateField,
  EnumField,
  IntField,
  QueryArray,
  QueryBoolean,
  TextField,
  UuidField,
} from '../common/dto-decorators';
import { PageQuery } from '../common/pagination.dto';
import { ActorRefResponse, FieldChangeResponse } from '../recommendations/recommendation.dto';

export class CreateActionRequest implements CreateActionInput {
  @TextField(300, { example: 'Deliver risk of harm analysis training to all offender managers' })
  title: string;

  @TextField(5000, { nullable: true })
  description?: string | null;

  @UuidField({ nullable: true, description: 'An active senior manager of the organisation that owns the action' })
  ownerId?: string | null;

  @DateField({ example: '2014-05-30' })
  dueDate: string;

  @TextField(10000, { nullable: true })
  evidence?: string | null;
}

export class UpdateActionRequest implements UpdateActionInput {
  @TextField(300, { required: false })
  title?: string;

  @TextField(5000, { nullable: true })
  description?: string | null;

  @UuidField({ nullable: true, description: 'null unassigns' })
  ownerId?: string | null;

  @DateField({ required: false, description: 'Changing it needs a comment giving the reason' })
  dueDate?: string;

  @EnumField(ACTION_STATUSES, {
    required: false,
    description:
      'not_started → in_progress ⇄ blocked → completed → verified (performance managers); completed or verified ' +
      '→ in_progress with a comment (reopen); → cancelled with a comment',
  })
  status?: ActionStatus;

  @IntField(0, 100, { required: false })
  progress?: number;

  @TextField(10000, { nullable: true, description: 'Evidence notes' })
  evidence?: string | null;

  @TextField(5000, { required: false, description: 'Why: kept in the history with the change' })
  comment?: string;
}

export class ActionQuery extends PageQuery {
  @ApiPropertyOptional({ description: '`me`, `none` (unassigned actions, e.g. after a hand-over), or a user id' })
  @IsOptional()
  @IsString()
  @Matches(/^(me|none|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12})$/, {
    message: 'owner must be me, none or a user id (a UUID)',
  })
  owner?: string;

  @UuidField({ required: false })
  organisationId?: string;

  @UuidField({ required: false })
  inspectionId?: string;

  @UuidField({ required: false })
  recommendationId?: string;

  @ApiPropertyOptional({ enum: ACTION_STATUSES, isArray: true, description: 'Repeat for several' })
  @IsOptional()
  @QueryArray()
  @IsArray()
  @ArrayMaxSize(ACTION_STATUSES.length)
  @IsIn(ACTION_STATUSES, { each: true, message: `each status must be one of: ${ACTION_STATUSES.join(', ')}` })
  status?: ActionStatus[];

  @EnumField(RAGS, { required: false })
  rag?: Rag;

  @QueryBoolean()
  @BooleanField({ required: false, description: 'true: open and past the due date' })
  overdue?: boolean;

  @DateField({ required: false, description: 'Due strictly before this date' })
  dueBefore?: string;

  @DateField({ required: false, description: 'Due strictly after this date' })
  dueAfter?: string;
}

export class ActionResponse implements ActionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) recommendationId: string;
  @ApiProperty({ format: 'uuid' }) inspectionId: string;
  @ApiProperty({ format: 'uuid', description: 'The organisation that owns the action' }) organisationId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ownerId: string | null;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty({ format: 'date', description: 'The due date it was created with' }) originalDueDate: string;
  @ApiProperty({ enum: ACTION_STATUSES }) status: ActionStatus;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty({ type: String, nullable: true }) evidence: string | null;
  @ApiProperty({ enum: RAGS, nullable: true, description: 'Derived; null when cancelled' }) rag: Rag | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty() daysOverdue: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) verifiedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) verifiedById: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class ActionUpdateResponse implements ActionUpdateView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) actionId: string;
  @ApiProperty({ enum: ['created', 'updated', 'comment', 'handover'] }) kind: ActionUpdateView['kind'];
  @ApiProperty({ type: ActorRefResponse, nullable: true }) actor: ActorRefResponse | null;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: [FieldChangeResponse] }) changes: FieldChangeResponse[];
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The hand-over that wrote this entry' })
  handoverId: string | null;
}
