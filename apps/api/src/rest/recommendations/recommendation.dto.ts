import { ApiProperty } from '@nestjs/swagger';
import {
  CreateRecommendationInput,
  Priority,
  PRIORITIES,
  RECOMMENDATION_SOURCES,
  RECOMMENDATION_STATUSES,
  RecommendationProgress,
  RecommendationResponse as Response,
  RecommendationSource,
  RecommendationStatus,
  RecommendationUpdateView,
  RecommendationView,
  RESPONSES,
  Theme,
  THEME_KEYS,
  UpdateRecommendationInput,
} from '@rt/domain';
import { DateField, EnumField, TextField, UuidField } from '../common/dto-decorators';

export class CreateRecommendationRequest implements CreateRecommendationInput {
  @TextField(20, { example: 'R1' })
  reference: string;

  @TextField(5000, { example: 'Improve the management of risk of harm to others.' })
  text: string;

  @EnumField(THEME_KEYS)
  theme: Theme;

  @EnumField(PRIORITIES)
  priority: Priority;

  @EnumField(RECOMMENDATION_SOURCES, {
    required: false,
    description: 'report (named in the report, the default) or derived (drawn from a concern)',
  })
  source?: RecommendationSource;

  @UuidField({ required: false, description: 'Defaults to the inspected organisation' })
  ownerOrganisationId?: string;

  @EnumField(RESPONSES, { required: false })
  response?: Response;

  @TextField(5000, { nullable: true, description: 'Required when the response is not_accepted' })
  responseRationale?: string | null;

  @DateField({ nullable: true })
  targetDate?: string | null;
}

export class UpdateRecommendationRequest implements UpdateRecommendationInput {
  @TextField(20, { required: false })
  reference?: string;

  @TextField(5000, { required: false })
  text?: string;

  @EnumField(THEME_KEYS, { required: false })
  theme?: Theme;

  @EnumField(PRIORITIES, { required: false })
  priority?: Priority;

  @EnumField(RECOMMENDATION_SOURCES, { required: false })
  source?: RecommendationSource;

  @UuidField({ required: false, description: 'Moves the recommendation and its actions to another organisation' })
  ownerOrganisationId?: string;

  @EnumField(RESPONSES, { required: false })
  response?: Response;

  @TextField(5000, { nullable: true })
  responseRationale?: string | null;

  @DateField({ nullable: true })
  targetDate?: string | null;
}

export class RecommendationProgressResponse implements RecommendationProgress {
  @ApiProperty({ description: 'Actions, not counting cancelled ones' }) total: number;
  @ApiProperty({ description: 'Actions completed and awaiting verification' }) completed: number;
  @ApiProperty() verified: number;
  @ApiProperty() overdue: number;
  @ApiProperty({ description: '(completed + verified) / total, floored to a whole percent' }) percentComplete: number;
}

export class RecommendationResponse implements RecommendationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) inspectionId: string;
  @ApiProperty() reference: string;
  @ApiProperty() text: string;
  @ApiProperty({ enum: THEME_KEYS }) theme: Theme;
  @ApiProperty({ enum: PRIORITIES }) priority: Priority;
  @ApiProperty({ enum: RECOMMENDATION_SOURCES }) source: RecommendationSource;
  @ApiProperty({ format: 'uuid' }) ownerOrganisationId: string;
  @ApiProperty({ enum: RESPONSES }) response: Response;
  @ApiProperty({ type: String, nullable: true }) responseRationale: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) targetDate: string | null;
  @ApiProperty({ enum: RECOMMENDATION_STATUSES, description: 'Derived from the response and the actions' })
  status: RecommendationStatus;
  @ApiProperty({ type: RecommendationProgressResponse }) progress: RecommendationProgressResponse;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class FieldChangeResponse {
  @ApiProperty() field: string;
  @ApiProperty({ nullable: true, description: 'The value before (any JSON type)' }) from: unknown;
  @ApiProperty({ nullable: true, description: 'The value after (any JSON type)' }) to: unknown;
}

export class ActorRefResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class RecommendationUpdateResponse implements RecommendationUpdateView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) recommendationId: string;
  @ApiProperty({ enum: ['created', 'updated', 'handover'] }) kind: RecommendationUpdateView['kind'];
  @ApiProperty({ type: ActorRefResponse, nullable: true }) actor: ActorRefResponse | null;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: [FieldChangeResponse] }) changes: FieldChangeResponse[];
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The hand-over that wrote this entry' })
  handoverId: string | null;
}
