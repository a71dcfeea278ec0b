import { ApiProperty } from '@nestjs/swagger';
import {
  ACTION_STATUSES,
  ActionPlanAction,
  ActionPlanLatestUpdate,
  ActionPlanRecommendation,
  ActionPlanView,
  ActionStatus,
  ImportOutcome,
  PRIORITIES,
  Priority,
  Rag,
  RAGS,
  RECOMMENDATION_SOURCES,
  RECOMMENDATION_STATUSES,
  RecommendationResponse,
  RecommendationSource,
  RecommendationStatus,
  RESPONSES,
  Theme,
  THEME_KEYS,
} from '@rt/domain';
import { BooleanField, QueryBoolean } from '../common/dto-decorators';
import { ActorRefResponse, RecommendationProgressResponse } from '../recommendations/recommendation.dto';

export class ImportQuery {
  @QueryBoolean()
  @BooleanField({ required: false, description: 'Check the file and answer what would be imported, changing nothing' })
  dryRun?: boolean;
}

class ImportCounts {
  @ApiProperty() created: number;
  @ApiProperty({ description: 'Already there (same reference; same action title): left as they are' })
  unchanged: number;
}

class ImportItem {
  @ApiProperty({ description: 'The first row of the file naming this reference (the header is row 1)' }) row: number;
  @ApiProperty() reference: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) recommendationId: string | null;
  @ApiProperty({ enum: ['created', 'unchanged'] }) outcome: 'created' | 'unchanged';
}

export class ImportOutcomeResponse implements ImportOutcome {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ type: ImportCounts }) recommendations: ImportCounts;
  @ApiProperty({ type: ImportCounts }) actions: ImportCounts;
  @ApiProperty({ type: [ImportItem] }) items: ImportItem[];
}

class OrganisationRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

class OwnerRef extends OrganisationRef {
  @ApiProperty() email: string;
}

class LatestUpdateResponse implements ActionPlanLatestUpdate {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: ActorRefResponse, nullable: true }) by: ActorRefResponse | null;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
}

class ActionPlanActionResponse implements ActionPlanAction {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: OwnerRef, nullable: true }) owner: OwnerRef | null;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty({ format: 'date' }) originalDueDate: string;
  @ApiProperty({ enum: ACTION_STATUSES }) status: ActionStatus;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty({ enum: RAGS, nullable: true }) rag: Rag | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty() daysOverdue: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) verifiedAt: string | null;
  @ApiProperty({ type: LatestUpdateResponse, nullable: true, description: 'The newest entry of its history' })
  latestUpdate: LatestUpdateResponse | null;
}

class ActionPlanRecommendationResponse implements ActionPlanRecommendation {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() reference: string;
  @ApiProperty() text: string;
  @ApiProperty({ enum: THEME_KEYS }) theme: Theme;
  @ApiProperty() themeName: string;
  @ApiProperty({ enum: PRIORITIES }) priority: Priority;
  @ApiProperty({ enum: RECOMMENDATION_SOURCES }) source: RecommendationSource;
  @ApiProperty({ type: OrganisationRef }) ownerOrganisation: OrganisationRef;
  @ApiProperty({ enum: RESPONSES }) response: RecommendationResponse;
  @ApiProperty({ enum: ['Awaiting response', 'Agreed', 'Partly agreed', 'Not agreed'] }) responseWording: string;
  @ApiProperty({ type: String, nullable: true }) responseRationale: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) targetDate: string | null;
  @ApiProperty({ enum: RECOMMENDATION_STATUSES }) status: RecommendationStatus;
  @ApiProperty({ type: RecommendationProgressResponse }) progress: RecommendationProgressResponse;
  @ApiProperty({ type: [ActionPlanActionResponse] }) actions: ActionPlanActionResponse[];
}

class ActionPlanInspection {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) programme: string | null;
  @ApiProperty({ format: 'date' }) publishedOn: string;
  @ApiProperty() publishedOnApproximate: boolean;
  @ApiProperty({ type: String, nullable: true }) reportUrl: string | null;
  @ApiProperty({ type: OrganisationRef }) organisation: OrganisationRef;
  @ApiProperty({ type: OrganisationRef }) inspectorate: OrganisationRef;
}

export class ActionPlanResponse implements ActionPlanView {
  @ApiProperty({ type: ActionPlanInspection }) inspection: ActionPlanInspection;
  @ApiProperty({ format: 'date', description: 'The London date RAG and overdue are worked out for' })
  asOfDate: string;
  @ApiProperty({
    type: [ActionPlanRecommendationResponse],
    description: 'The recommendations you may see, in report order, each with its actions by due date',
  })
  recommendations: ActionPlanRecommendationResponse[];
}
