import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsUUID } from 'class-validator';
import {
  CreateOrganisationInput,
  ORGANISATION_KINDS,
  ORGANISATION_STATUSES,
  OrganisationKind,
  OrganisationStatus,
  OrganisationView,
  Region,
  REGION_KEYS,
  UpdateOrganisationInput,
} from '@rt/domain';
import { DateField, EnumField, IsOptionalNotNull, TextField } from '../common/dto-decorators';
import { PageQuery } from '../common/pagination.dto';

export class CreateOrganisationRequest implements CreateOrganisationInput {
  @TextField(200, { example: 'Kent Probation Trust' })
  name: string;

  @EnumField(ORGANISATION_KINDS)
  kind: OrganisationKind;

  @EnumField(REGION_KEYS)
  region: Region;

  @EnumField(ORGANISATION_STATUSES, { required: false })
  status?: OrganisationStatus;

  @DateField({ nullable: true, description: 'Required when status is dissolved' })
  dissolvedOn?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  successorIds?: string[];
}

export class UpdateOrganisationRequest implements UpdateOrganisationInput {
  @TextField(200, { required: false })
  name?: string;

  @EnumField(ORGANISATION_KINDS, { required: false })
  kind?: OrganisationKind;

  @EnumField(REGION_KEYS, { required: false })
  region?: Region;

  @EnumField(ORGANISATION_STATUSES, { required: false })
  status?: OrganisationStatus;

  @DateField({ nullable: true })
  dissolvedOn?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the list of successors' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  successorIds?: string[];
}

export class OrganisationQuery extends PageQuery {
  @EnumField(ORGANISATION_KINDS, { required: false })
  @IsOptional()
  kind?: OrganisationKind;

  @EnumField(REGION_KEYS, { required: false })
  @IsOptional()
  region?: Region;

  @EnumField(ORGANISATION_STATUSES, { required: false })
  @IsOptional()
  status?: OrganisationStatus;
}

export class OrganisationResponse implements OrganisationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) kind: OrganisationKind;
  @ApiProperty({ enum: REGION_KEYS }) region: Region;
  @ApiProperty({ enum: ORGANISATION_STATUSES }) status: OrganisationStatus;
  @ApiProperty({ type: String, format: 'date', nullable: true }) dissolvedOn: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) successorIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) predecessorIds: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ description: 'Also sent as the ETag' }) version: number;
}
