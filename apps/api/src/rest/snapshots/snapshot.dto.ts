import { ApiProperty } from '@nestjs/swagger';
import {
  ACTION_STATUSES,
  ActionStatus,
  Rag,
  RAGS,
  RollupGroupBy,
  ROLLUP_GROUP_BYS,
  SnapshotActionChange,
  SnapshotDiff,
  SnapshotDiffSection,
  SnapshotSummary,
  SnapshotView,
} from '@rt/domain';
import { EnumField, TextField } from '../common/dto-decorators';
import { ActorRefResponse } from '../recommendations/recommendation.dto';
import { RollupFiguresResponse, RollupItemResponse } from '../rollups/rollup.dto';

export class CreateSnapshotRequest {
  @TextField(200, { example: 'Q3 2014 board return' })
  name: string;
}

export class SnapshotQuery {
  @EnumField(ROLLUP_GROUP_BYS, { required: false, description: 'How to break the figures down (default organisation)' })
  groupBy?: RollupGroupBy;
}

export class SnapshotSummaryResponse implements SnapshotSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time' }) takenAt: string;
  @ApiProperty({ format: 'date', description: 'The London date overdue and RAG were worked out for' })
  asOfDate: string;
  @ApiProperty({ type: ActorRefResponse, nullable: true }) takenBy: ActorRefResponse | null;
  @ApiProperty({ enum: ['manual', 'schedule'] }) trigger: 'manual' | 'schedule';
}

export class SnapshotResponse extends SnapshotSummaryResponse implements SnapshotView {
  @ApiProperty({ enum: ROLLUP_GROUP_BYS }) groupBy: RollupGroupBy;
  @ApiProperty({ type: RollupFiguresResponse, description: 'Everything in your scope, as frozen' })
  portfolio: RollupFiguresResponse;
  @ApiProperty({ type: [RollupItemResponse] }) items: RollupItemResponse[];
}

export class SnapshotActionStateResponse {
  @ApiProperty({ enum: ACTION_STATUSES }) status: ActionStatus;
  @ApiProperty({ enum: RAGS, nullable: true }) rag: Rag | null;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty() daysOverdue: number;
}

export class SnapshotActionChangeResponse implements SnapshotActionChange {
  @ApiProperty({ format: 'uuid' }) actionId: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ format: 'uuid' }) recommendationId: string;
  @ApiProperty({ type: SnapshotActionStateResponse, nullable: true }) from: SnapshotActionStateResponse | null;
  @ApiProperty({ type: SnapshotActionStateResponse }) to: SnapshotActionStateResponse;
}

export class SnapshotDiffSectionResponse implements SnapshotDiffSection {
  @ApiProperty() count: number;
  @ApiProperty({ type: [SnapshotActionChangeResponse], description: 'At most 500' })
  items: SnapshotActionChangeResponse[];
}

export class SnapshotDiffResponse implements SnapshotDiff {
  @ApiProperty({ type: SnapshotSummaryResponse }) from: SnapshotSummaryResponse;
  @ApiProperty({ type: SnapshotSummaryResponse }) to: SnapshotSummaryResponse;
  @ApiProperty({ type: SnapshotDiffSectionResponse, description: 'In `to`, not in `from`' })
  new: SnapshotDiffSectionResponse;
  @ApiProperty({ type: SnapshotDiffSectionResponse, description: 'Completed or verified since' })
  completed: SnapshotDiffSectionResponse;
  @ApiProperty({ type: SnapshotDiffSectionResponse, description: 'Due later than before' })
  slipped: SnapshotDiffSectionResponse;
  @ApiProperty({ type: SnapshotDiffSectionResponse, description: 'Overdue now, not before' })
  newlyOverdue: SnapshotDiffSectionResponse;
}
