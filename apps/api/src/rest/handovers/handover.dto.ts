import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import {
  HANDOVER_KINDS,
  HandoverAllocation,
  HandoverInput,
  HandoverKind,
  HandoverMoveView,
  HandoverPlanView,
  HandoverSummaryView,
  HandoverView,
  RECOMMENDATION_STATUSES,
  RecommendationStatus,
  StayingRecommendationView,
  UnassignedActionView,
} from '@rt/domain';
import { DateField, EnumField, IsOptionalNotNull, QueryBoolean, UuidField } from '../common/dto-decorators';
import { PageQuery } from '../common/pagination.dto';

export class HandoverAllocationRequest implements HandoverAllocation {
  @UuidField({ description: 'An open recommendation of one of the predecessors' })
  recommendationId: string;

  @UuidField({ description: 'The successor that takes it over' })
  toOrganisationId: string;
}

export class CreateHandoverRequest implements HandoverInput {
  @ApiProperty({ type: [String], format: 'uuid', description: 'The predecessor organisation(s)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  fromOrganisationIds: string[];

  @DateField({ description: 'When the restructuring took effect (and, if dissolving, the dissolution date)' })
  effectiveOn: string;

  @EnumField(HANDOVER_KINDS)
  kind: HandoverKind;

  @ApiProperty({ type: [HandoverAllocationRequest], description: 'Where each open recommendation goes' })
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => HandoverAllocationRequest)
  allocations: HandoverAllocationRequest[];

  @UuidField({ required: false, description: 'Takes every open recommendation not allocated explicitly' })
  defaultToOrganisationId?: string;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Mark the predecessors dissolved' })
  @IsOptionalNotNull()
  @IsBoolean()
  dissolvePredecessors?: boolean;
}

export class HandoverDryRunQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'true: answer what would move, and any problem; change nothing' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}

export class HandoverQuery extends PageQuery {
  @UuidField({ required: false, description: 'Hand-overs this organisation took part in' })
  organisationId?: string;
}

class NamedRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class HandoverMoveResponse implements HandoverMoveView {
  @ApiProperty({ format: 'uuid' }) recommendationId: string;
  @ApiProperty() reference: string;
  @ApiProperty({ format: 'uuid' }) inspectionId: string;
  @ApiProperty({ format: 'uuid' }) fromOrganisationId: string;
  @ApiProperty({ format: 'uuid' }) toOrganisationId: string;
  @ApiProperty({ description: 'Actions that moved with it' }) actions: number;
}

export class UnassignedActionResponse implements UnassignedActionView {
  @ApiProperty({ format: 'uuid' }) actionId: string;
  @ApiProperty({ format: 'uuid' }) recommendationId: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uuid', description: 'The successor that now owns it' }) organisationId: string;
  @ApiProperty({ type: NamedRef }) previousOwner: { id: string; name: string };
}

export class StayingRecommendationResponse implements StayingRecommendationView {
  @ApiProperty({ format: 'uuid' }) recommendationId: string;
  @ApiProperty() reference: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ enum: RECOMMENDATION_STATUSES }) status: RecommendationStatus;
}

export class HandoverSummaryResponse implements HandoverSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: HANDOVER_KINDS }) kind: HandoverKind;
  @ApiProperty({ format: 'date' }) effectiveOn: string;
  @ApiProperty({ type: NamedRef, nullable: true }) createdBy: { id: string; name: string } | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: [String], format: 'uuid' }) predecessorIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) successorIds: string[];
  @ApiProperty() dissolvedPredecessors: boolean;
  @ApiProperty({ description: 'Those you may see' }) recommendationsMoved: number;
  @ApiProperty({ description: 'Those you may see' }) actionsMoved: number;
}

export class HandoverResponse extends HandoverSummaryResponse implements HandoverView {
  @ApiProperty({ type: [HandoverMoveResponse] }) moves: HandoverMoveResponse[];
  @ApiProperty({ type: [UnassignedActionResponse], description: 'Actions left without an owner by the move' })
  unassigned: UnassignedActionResponse[];
  @ApiProperty({ type: [StayingRecommendationResponse], description: 'Closed recommendations kept by predecessors' })
  staying: StayingRecommendationResponse[];
}

class HandoverProblem {
  @ApiProperty() field: string;
  @ApiProperty() message: string;
  @ApiProperty({ description: 'The rule that would refuse it' }) rule: string;
}

class UnallocatedRecommendation {
  @ApiProperty({ format: 'uuid' }) recommendationId: string;
  @ApiProperty() reference: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
}

export class HandoverPlanResponse implements HandoverPlanView {
  @ApiProperty({ enum: [true] }) dryRun: true;
  @ApiProperty({ description: 'true when the hand-over would go through as asked' }) ok: boolean;
  @ApiProperty({ type: [HandoverProblem] }) problems: HandoverProblem[];
  @ApiProperty({ enum: HANDOVER_KINDS }) kind: HandoverKind;
  @ApiProperty({ format: 'date' }) effectiveOn: string;
  @ApiProperty({ type: [String], format: 'uuid' }) predecessorIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) successorIds: string[];
  @ApiProperty() dissolvePredecessors: boolean;
  @ApiProperty({ type: [HandoverMoveResponse] }) moves: HandoverMoveResponse[];
  @ApiProperty() actionsMoved: number;
  @ApiProperty({ type: [UnassignedActionResponse] }) unassigned: UnassignedActionResponse[];
  @ApiProperty({ type: [StayingRecommendationResponse] }) staying: StayingRecommendationResponse[];
  @ApiProperty({ type: [UnallocatedRecommendation] }) unallocated: UnallocatedRecommendation[];
}
