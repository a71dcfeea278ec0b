import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import {
  ACTION_STATUSES,
  ActionStatus,
  Rag,
  RAGS,
  RECOMMENDATION_STATUSES,
  RecommendationStatus,
  REGION_KEYS,
  RollupFigures,
  RollupGroupBy,
  ROLLUP_ATTRIBUTIONS,
  ROLLUP_GROUP_BYS,
  RollupAttribution,
  RollupItem,
  RollupList,
  RollupPortfolio,
  RollupTrend,
  RollupTrendPoint,
  THEME_KEYS,
} from '@rt/domain';
import { DateField, EnumField, TextField, UuidField } from '../common/dto-decorators';
import { PageQuery } from '../common/pagination.dto';

const counts = (keys: readonly string[]): ApiPropertyOptions =>
  ({
    type: 'object',
    properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer' }])),
    required: [...keys],
  }) as ApiPropertyOptions;

export class RollupQuery extends PageQuery {
  @EnumField(ROLLUP_GROUP_BYS, { description: 'What each item is' })
  groupBy: RollupGroupBy;

  @UuidField({ required: false })
  organisationId?: string;

  @UuidField({ required: false })
  inspectionId?: string;

  @EnumField(THEME_KEYS, { required: false })
  theme?: string;

  @EnumField(REGION_KEYS, { required: false })
  region?: string;

  @EnumField(ROLLUP_ATTRIBUTIONS, {
    required: false,
    description:
      'now (default): handed-over work counts under its current owner. then (groupBy=organisation only): under ' +
      'the organisation it was handed over from, as that organisation was before the restructuring',
  })
  attribution?: RollupAttribution;
}

export class RollupTrendQuery {
  @EnumField(ROLLUP_GROUP_BYS)
  groupBy: RollupGroupBy;

  @TextField(100, { description: 'The item key, as GET /rollups gives it (an id, theme or region)' })
  key: string;

  @DateField({ required: false, description: 'First day (default: 30 days before `to`)' })
  from?: string;

  @DateField({ required: false, description: 'Last day (default: today, London)' })
  to?: string;
}

export class RollupFiguresResponse implements RollupFigures {
  @ApiProperty({ description: 'Actions, cancelled ones left out' }) total: number;
  @ApiProperty({ description: 'Completed, awaiting verification' }) completed: number;
  @ApiProperty() verified: number;
  @ApiProperty({ description: 'Open actions past their due date (London)' }) overdue: number;
  @ApiProperty({ description: '(completed + verified) / total, floored' }) percentComplete: number;
  @ApiProperty(counts(ACTION_STATUSES)) byStatus: Record<ActionStatus, number>;
  @ApiProperty(counts(RAGS)) byRag: Record<Rag, number>;
  @ApiProperty({ description: 'verified / total, floored' }) percentVerified: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Median days overdue of the overdue actions' })
  medianDaysOverdue: number | null;
  @ApiProperty({ description: 'Days between original and current due dates, summed over re-dated actions' })
  slippageDays: number;
  @ApiProperty({ description: 'Actions whose due date has moved' }) redatedCount: number;
  @ApiProperty(counts(RECOMMENDATION_STATUSES)) recommendationsByStatus: Record<RecommendationStatus, number>;
}

export class RollupItemResponse extends RollupFiguresResponse implements RollupItem {
  @ApiProperty({ description: 'The id (organisation, inspection, recommendation), theme or region' }) key: string;
  @ApiProperty() name: string;
}

export class RollupListResponse implements RollupList {
  @ApiProperty({ format: 'date-time', description: 'Every change committed before this instant is included' })
  asOf: string;
  @ApiProperty({ format: 'date', description: 'The London date overdue and RAG are for' }) date: string;
  @ApiProperty({ type: [RollupItemResponse] }) items: RollupItemResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'inspection and recommendation lists are paged' })
  nextCursor: string | null;
}

export class RollupPortfolioResponse extends RollupFiguresResponse implements RollupPortfolio {
  @ApiProperty({ format: 'date-time' }) asOf: string;
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty({ description: 'Organisations with anything to count' }) organisations: number;
}

export class RollupTrendPointResponse extends RollupFiguresResponse implements RollupTrendPoint {
  @ApiProperty({ format: 'date' }) date: string;
}

export class RollupTrendResponse implements RollupTrend {
  @ApiProperty({ enum: ROLLUP_GROUP_BYS }) groupBy: RollupGroupBy;
  @ApiProperty() key: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: [RollupTrendPointResponse] }) points: RollupTrendPointResponse[];
}

export class ReconcileResultResponse {
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty() organisations: number;
  @ApiProperty() cells: number;
  @ApiProperty({ description: 'Cells found missing, surplus or wrong, and repaired' }) drift: number;
  @ApiProperty() written: number;
  @ApiProperty() removed: number;
  @ApiProperty() ms: number;
}

export class RollupJobStateResponse {
  @ApiProperty() jobId: string;
  @ApiProperty({ description: 'waiting, active, completed, failed…' }) state: string;
  @ApiPropertyOptional({ type: ReconcileResultResponse, nullable: true }) result: unknown;
  @ApiProperty({ type: String, nullable: true }) failedReason: string | null;
}
