import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import {
  OrganisationReminderSettingsView,
  ReminderDefaultsView,
  ReminderSettings,
  UpdateOrganisationReminderSettingsInput,
  UpdateReminderDefaultsInput,
} from '@rt/domain';
import { IsOptionalNotNull, IsOptionalNullable } from '../common/dto-decorators';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The same fields for defaults (absent: unchanged) and organisations (null: use the default). */
function settingsFields(nullable: boolean) {
  const optional = nullable ? IsOptionalNullable : IsOptionalNotNull;
  class Fields {
    @ApiPropertyOptional({ type: [Number], nullable, example: [14, 3], description: 'Days before the due date (1–90)' })
    @optional()
    @IsArray()
    @ArrayMinSize(1)
    @ArrayMaxSize(10)
    @IsInt({ each: true })
    @Min(1, { each: true })
    @Max(90, { each: true })
    offsetsDays?: number[] | null;

    @ApiPropertyOptional({ type: 'integer', nullable, minimum: 1, maximum: 90, example: 7 })
    @optional()
    @IsInt()
    @Min(1)
    @Max(90)
    overdueRepeatDays?: number | null;

    @ApiPropertyOptional({ type: 'integer', nullable, minimum: 1, maximum: 365, example: 14 })
    @optional()
    @IsInt()
    @Min(1)
    @Max(365)
    escalationAfterDays?: number | null;

    @ApiPropertyOptional({ type: 'integer', nullable, minimum: 1, maximum: 365, example: 14 })
    @optional()
    @IsInt()
    @Min(1)
    @Max(365)
    escalationRepeatDays?: number | null;

    @ApiPropertyOptional({ type: String, nullable, example: '07:00', description: 'London time, HH:MM' })
    @optional()
    @IsString()
    @Matches(TIME, { message: 'sendTime must be a time of day written HH:MM (00:00 to 23:59)' })
    sendTime?: string | null;
  }
  return Fields;
}

export class UpdateReminderDefaultsRequest extends settingsFields(false) implements UpdateReminderDefaultsInput {
  declare offsetsDays?: number[];
  declare overdueRepeatDays?: number;
  declare escalationAfterDays?: number;
  declare escalationRepeatDays?: number;
  declare sendTime?: string;
}

export class UpdateOrganisationReminderSettingsRequest
  extends settingsFields(true)
  implements UpdateOrganisationReminderSettingsInput {}

export class ReminderSettingsResponse implements ReminderSettings {
  @ApiProperty({ type: [Number] }) offsetsDays: number[];
  @ApiProperty() overdueRepeatDays: number;
  @ApiProperty() escalationAfterDays: number;
  @ApiProperty() escalationRepeatDays: number;
  @ApiProperty({ example: '07:00' }) sendTime: string;
}

export class ReminderDefaultsResponse extends ReminderSettingsResponse implements ReminderDefaultsView {
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class ReminderOverridesResponse {
  @ApiProperty({ type: [Number], nullable: true }) offsetsDays: number[] | null;
  @ApiProperty({ type: Number, nullable: true }) overdueRepeatDays: number | null;
  @ApiProperty({ type: Number, nullable: true }) escalationAfterDays: number | null;
  @ApiProperty({ type: Number, nullable: true }) escalationRepeatDays: number | null;
  @ApiProperty({ type: String, nullable: true }) sendTime: string | null;
}

export class OrganisationReminderSettingsResponse implements OrganisationReminderSettingsView {
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ type: ReminderOverridesResponse, description: "The organisation's own values; null uses the default" })
  overrides: ReminderOverridesResponse;
  @ApiProperty({ type: ReminderSettingsResponse, description: 'What applies to this organisation' })
  effective: ReminderSettingsResponse;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt: string | null;
  @ApiProperty({ description: '0 until the organisation has settings of its own' }) version: number;
}
