import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsUrl, IsUUID, MaxLength } from 'class-validator';
import {
  CreateFindingInput,
  CreateInspectionInput,
  FINDING_KINDS,
  FindingKind,
  FindingView,
  InspectionView,
  UpdateInspectionInput,
} from '@rt/domain';
import {
  BooleanField,
  DateField,
  EnumField,
  IsOptionalNotNull,
  IsOptionalNullable,
  TextField,
  UuidField,
} from '../common/dto-decorators';
import { PageQuery } from '../common/pagination.dto';

const URL_OPTIONS = { require_protocol: true, protocols: ['http', 'https'], require_tld: false };

export class CreateInspectionRequest implements CreateInspectionInput {
  @UuidField({ description: 'The inspected organisation' })
  organisationId: string;

  @UuidField({ description: 'The inspectorate (an organisation of kind inspectorate)' })
  inspectorateId: string;

  @TextField(300, { example: 'Inspection of Adult Offending Work: Kent Probation Trust' })
  title: string;

  @TextField(200, { nullable: true, example: 'Inspection of Adult Offending Work' })
  programme?: string | null;

  @DateField({ example: '2014-03-01' })
  publishedOn: string;

  @BooleanField({ required: false, description: 'True when publishedOn is an estimate' })
  publishedOnApproximate?: boolean;

  @ApiPropertyOptional({ type: String, format: 'uri', nullable: true })
  @IsOptionalNullable()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  reportUrl?: string | null;
}

export class UpdateInspectionRequest implements UpdateInspectionInput {
  @UuidField({ required: false })
  organisationId?: string;

  @UuidField({ required: false })
  inspectorateId?: string;

  @TextField(300, { required: false })
  title?: string;

  @TextField(200, { nullable: true })
  programme?: string | null;

  @DateField({ required: false })
  publishedOn?: string;

  @BooleanField({ required: false })
  publishedOnApproximate?: boolean;

  @ApiPropertyOptional({ type: String, format: 'uri', nullable: true })
  @IsOptionalNullable()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  reportUrl?: string | null;
}

export class InspectionQuery extends PageQuery {
  @UuidField({ required: false })
  organisationId?: string;
}

export class InspectionResponse implements InspectionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty() organisationName: string;
  @ApiProperty({ format: 'uuid' }) inspectorateId: string;
  @ApiProperty() inspectorateName: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) programme: string | null;
  @ApiProperty({ format: 'date' }) publishedOn: string;
  @ApiProperty() publishedOnApproximate: boolean;
  @ApiProperty({ type: String, format: 'uri', nullable: true }) reportUrl: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class CreateFindingRequest implements CreateFindingInput {
  @EnumField(FINDING_KINDS)
  kind: FindingKind;

  @TextField(5000)
  text: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Recommendations this finding led to' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  recommendationIds?: string[];
}

export class FindingResponse implements FindingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) inspectionId: string;
  @ApiProperty({ enum: FINDING_KINDS }) kind: FindingKind;
  @ApiProperty() text: string;
  @ApiProperty({ type: [String], format: 'uuid' }) recommendationIds: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
