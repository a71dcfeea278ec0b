import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, SnapshotsService } from '@rt/domain';
import { CurrentActor, Requires } from '../auth/access.decorators';
import { ApiFound, ApiPage, ApiSignedIn } from '../common/api-docs.decorators';
import { PageQuery } from '../common/pagination.dto';
import { UuidPipe } from '../common/uuid.pipe';
import {
  CreateSnapshotRequest,
  SnapshotDiffResponse,
  SnapshotQuery,
  SnapshotResponse,
  SnapshotSummaryResponse,
} from './snapshot.dto';

@ApiTags('rollups')
@ApiSignedIn()
@Controller('api/v1/snapshots')
export class SnapshotsApiController {
  constructor(private readonly snapshots: SnapshotsService) {}

  @Post()
  @Requires('snapshots:create')
  @ApiOperation({
    summary: 'Freeze the roll-ups and every action now, under a name (admins, performance managers)',
    description:
      'Taken from source in one consistent read, for every organisation; each reader sees the part in their ' +
      'scope. Snapshots never change afterwards (the database refuses it). Takes seconds at national scale.',
  })
  @ApiCreatedResponse({ type: SnapshotSummaryResponse })
  take(@CurrentActor() actor: Actor, @Body() body: CreateSnapshotRequest) {
    return this.snapshots.take(actor, body.name);
  }

  @Get()
  @Requires('snapshots:read')
  @ApiOperation({ summary: 'Snapshots, newest first' })
  @ApiPage(SnapshotSummaryResponse)
  list(@Query() query: PageQuery) {
    return this.snapshots.list(query);
  }

  @Get(':id')
  @Requires('snapshots:read')
  @ApiOperation({ summary: "A snapshot's frozen roll-ups, within your scope" })
  @ApiOkResponse({ type: SnapshotResponse })
  @ApiFound()
  get(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Query() query: SnapshotQuery) {
    return this.snapshots.get(actor, id, query.groupBy);
  }

  @Get(':a/diff/:b')
  @Requires('snapshots:read')
  @ApiOperation({
    summary: 'What changed from snapshot a to snapshot b: new, completed, slipped and newly overdue actions',
  })
  @ApiOkResponse({ type: SnapshotDiffResponse })
  @ApiFound()
  diff(@CurrentActor() actor: Actor, @Param('a', UuidPipe) a: string, @Param('b', UuidPipe) b: string) {
    return this.snapshots.diff(actor, a, b);
  }
}
