import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import {
  CreateUserInput,
  REMINDER_DELIVERIES,
  ReminderDelivery,
  Role,
  ROLES,
  UpdateOwnPreferencesInput,
  UpdateUserInput,
  UserView,
} from '@rt/domain';
import {
  BooleanField,
  EnumField,
  IsOptionalNotNull,
  QueryBoolean,
  TextField,
  UuidField,
} from '../common/dto-decorators';
import { PageQuery } from '../common/pagination.dto';

const PASSWORD_RULE = 'at least 12 characters';

export class CreateUserRequest implements CreateUserInput {
  @ApiProperty({ example: 'head.public.protection@kent.example.org' })
  @IsString()
  @IsEmail()
  @MaxLength(320)
  email: string;

  @TextField(200, { example: 'Head of Public Protection' })
  name: string;

  @EnumField(ROLES)
  role: Role;

  @UuidField({ nullable: true, description: 'Required for senior managers and viewers' })
  organisationId?: string | null;

  @ApiProperty({ format: 'password', minLength: 12, description: PASSWORD_RULE })
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password: string;

  @BooleanField({ required: false })
  active?: boolean;

  @BooleanField({
    required: false,
    description: "Senior managers only: hears when the organisation's actions are well overdue",
  })
  accountableLead?: boolean;

  @EnumField(REMINDER_DELIVERIES, {
    required: false,
    description: 'immediate (each run, the default) or weekly (Mondays)',
  })
  reminderDelivery?: ReminderDelivery;

  @BooleanField({
    required: false,
    description: 'Performance managers: the weekly digest of their portfolio, Monday mornings (default true)',
  })
  weeklyDigest?: boolean;
}

export class UpdateUserRequest implements UpdateUserInput {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @TextField(200, { required: false })
  name?: string;

  @EnumField(ROLES, { required: false })
  role?: Role;

  @UuidField({ nullable: true })
  organisationId?: string | null;

  @ApiPropertyOptional({
    format: 'password',
    minLength: 12,
    description: `${PASSWORD_RULE}; signs the user out everywhere`,
  })
  @IsOptionalNotNull()
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password?: string;

  @BooleanField({ required: false, description: 'false disables the account and voids its tokens' })
  active?: boolean;

  @BooleanField({
    required: false,
    description: "Senior managers only: hears when the organisation's actions are well overdue",
  })
  accountableLead?: boolean;

  @EnumField(REMINDER_DELIVERIES, { required: false })
  reminderDelivery?: ReminderDelivery;

  @BooleanField({
    required: false,
    description: 'Performance managers: the weekly digest of their portfolio, Monday mornings (default true)',
  })
  weeklyDigest?: boolean;
}

export class UpdateMeRequest implements UpdateOwnPreferencesInput {
  @EnumField(REMINDER_DELIVERIES, { required: false, description: 'immediate (each run) or weekly (Mondays)' })
  reminderDelivery?: ReminderDelivery;

  @BooleanField({ required: false, description: 'false stops the weekly digest (performance managers)' })
  weeklyDigest?: boolean;
}

export class PortfolioRequest {
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMaxSize(2000)
  @IsUUID('all', { each: true })
  organisationIds: string[];
}

export class UserQuery extends PageQuery {
  @UuidField({ required: false })
  organisationId?: string;

  @EnumField(ROLES, { required: false })
  role?: Role;

  @QueryBoolean()
  @BooleanField({ required: false })
  active?: boolean;
}

export class UserResponse implements UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) organisationId: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: [String], format: 'uuid' }) portfolioOrganisationIds: string[];
  @ApiProperty() accountableLead: boolean;
  @ApiProperty({ enum: REMINDER_DELIVERIES }) reminderDelivery: ReminderDelivery;
  @ApiProperty({ description: 'Takes the weekly digest (performance managers; default true)' }) weeklyDigest: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}
