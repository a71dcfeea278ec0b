import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import { IsOptionalNotNull } from '../common/dto-decorators';

export class RunRemindersRequest {
  @ApiPropertyOptional({ format: 'date-time', description: 'Run as of this instant (default: now)' })
  @IsOptionalNotNull()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class RunDigestRequest {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Run as of this instant (default: now): the digest covers the week, Monday to Sunday, before its own',
  })
  @IsOptionalNotNull()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class JobAccepted {
  @ApiProperty() jobId: string;
}

export class JobStateResponse {
  @ApiProperty() jobId: string;
  @ApiProperty({ description: 'waiting, active, completed, failed, delayed…' }) state: string;
  @ApiProperty({ nullable: true, description: 'What the run did, once completed' }) result: unknown;
  @ApiProperty({ type: String, nullable: true }) failedReason: string | null;
}
