import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@rt/domain';
import { JobsProducer } from '@rt/jobs';
import { Requires } from '../auth/access.decorators';
import { ApiFound, ApiSignedIn } from '../common/api-docs.decorators';
import { JobAccepted, JobStateResponse, RunDigestRequest, RunRemindersRequest } from './jobs.dto';

@ApiTags('reminders')
@ApiSignedIn()
@Controller('api/v1/jobs')
export class JobsApiController {
  constructor(private readonly jobs: JobsProducer) {}

  @Post('reminders/run')
  @HttpCode(202)
  @Requires('jobs:run')
  @ApiOperation({
    summary: 'Run the reminders now, as of a given time, for every organisation (admins)',
    description:
      'The run decides what is due on the London date of `asOf` (nothing on weekends and bank holidays: those ' +
      'reminders go on the next working day) and enqueues one email per recipient. Safe to repeat: a reminder ' +
      'already recorded is never sent twice. 503 when the queue is unreachable.',
  })
  @ApiAcceptedResponse({ type: JobAccepted })
  async runReminders(@Body() body: RunRemindersRequest): Promise<JobAccepted> {
    const asOf = body.asOf ? new Date(body.asOf).toISOString() : new Date().toISOString();
    return { jobId: await this.jobs.runRemindersNow({ asOf }) };
  }

  @Get('reminders/run/:jobId')
  @Requires('jobs:run')
  @ApiOperation({ summary: "A reminder run's state and, when done, what it did" })
  @ApiOkResponse({ type: JobStateResponse })
  @ApiFound()
  async reminderRun(@Param('jobId') jobId: string): Promise<JobStateResponse> {
    if (!/^reminders-run-[0-9a-f-]{36}$/.test(jobId)) throw DomainException.notFound('Job');
    const job = await this.jobs.reminderJob(jobId);
    if (!job) throw DomainException.notFound('Job');
    return { jobId, ...job };
  }

  @Post('digest/run')
  @HttpCode(202)
  @Requires('jobs:run')
  @ApiTags('digest')
  @ApiOperation({
    summary: 'Send the weekly digest now, as of a given time, to every performance manager who takes it (admins)',
    description:
      'The digest covers the week (Monday to Sunday) before the one holding `asOf`, one email per performance ' +
      'manager. Safe to repeat: each performance manager gets one digest per week, whoever runs it and however ' +
      'often. 503 when the queue is unreachable.',
  })
  @ApiAcceptedResponse({ type: JobAccepted })
  async runDigest(@Body() body: RunDigestRequest): Promise<JobAccepted> {
    const asOf = body.asOf ? new Date(body.asOf).toISOString() : new Date().toISOString();
    return { jobId: await this.jobs.runDigestNow({ asOf }) };
  }

  @Get('digest/run/:jobId')
  @Requires('jobs:run')
  @ApiTags('digest')
  @ApiOperation({ summary: "A digest run's state and, when done, what it did" })
  @ApiOkResponse({ type: JobStateResponse })
  @ApiFound()
  async digestRun(@Param('jobId') jobId: string): Promise<JobStateResponse> {
    if (!/^digest-run-[0-9a-f-]{36}$/.test(jobId)) throw DomainException.notFound('Job');
    const job = await this.jobs.digestJob(jobId);
    if (!job) throw DomainException.notFound('Job');
    return { jobId, ...job };
  }
}
