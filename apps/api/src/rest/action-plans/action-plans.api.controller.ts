import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ActionPlanExport, ActionPlanImportService, ActionPlansService, ActionPlanSource, Actor } from '@rt/domain';
import { CurrentActor, Requires } from '../auth/access.decorators';
import { ApiFound, ApiSignedIn } from '../common/api-docs.decorators';
import { UuidPipe } from '../common/uuid.pipe';
import { ActionPlanResponse, ImportOutcomeResponse, ImportQuery } from './action-plan.dto';
import {
  ACTION_COLUMNS,
  actionPlanCsv,
  importTemplateCsv,
  RECOMMENDATION_COLUMNS,
  readRecommendationsCsv,
  REQUIRED_COLUMNS,
} from './action-plan-csv';
import { actionPlanFileName, CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE } from './action-plan-file';
import { actionPlanXlsx } from './action-plan-xlsx';

const csvFile = { content: { 'text/csv': { schema: { type: 'string' } } } };
const xlsxFile = { content: { [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } } } };
const attachment = {
  'Content-Disposition': { description: 'attachment; filename="…"', schema: { type: 'string' } },
};

const IMPORT_DESCRIPTION =
  `A CSV file (UTF-8, with or without a byte order mark; CRLF or LF line ends; RFC 4180 quoting), first row the ` +
  `column names: ${REQUIRED_COLUMNS.join(', ')} (required), ` +
  `${RECOMMENDATION_COLUMNS.filter((c) => !(REQUIRED_COLUMNS as readonly string[]).includes(c)).join(', ')} and ` +
  `${ACTION_COLUMNS.join(', ')} (optional). One action per row: a recommendation with several actions takes ` +
  `several rows repeating its reference (its other columns repeated unchanged or left blank). The columns of the ` +
  `action-plan CSV export are accepted too (the extra ones are ignored), so an export re-imports as it is. ` +
  `All or nothing: any problem answers 422 with every problem as errors[{row, column, message}] (the header is ` +
  `row 1) and imports nothing. A reference already in the inspection, and an action title its recommendation ` +
  `already has, are left as they are, so importing a file twice adds nothing. Adding actions needs a role that ` +
  `may create actions (admins); others may import recommendations only.`;

@ApiTags('action plans')
@ApiSignedIn()
@Controller('api/v1')
export class ActionPlansApiController {
  constructor(
    private readonly plans: ActionPlansService,
    private readonly imports: ActionPlanImportService,
  ) {}

  @Post('inspections/:id/recommendations/import')
  @Requires('recommendations:write')
  @ApiOperation({
    summary: "Import an inspection's recommendations and actions from a CSV file",
    description: IMPORT_DESCRIPTION,
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string' }, description: 'The CSV file (at most 1 MB)' })
  @ApiCreatedResponse({ type: ImportOutcomeResponse, description: 'Imported: what was created and left as it was' })
  @ApiOkResponse({ type: ImportOutcomeResponse, description: 'dryRun=true: what would be imported' })
  @ApiUnprocessableEntityResponse({
    description: 'The file has problems: `errors` lists each with its `row` and `column`; nothing was imported',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  })
  @ApiResponse({ status: 415, description: 'The body is not text/csv' })
  @ApiFound()
  async import(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Query() query: ImportQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!Buffer.isBuffer(request.body)) {
      // Not the problem filter's generic "send JSON" answer: this route takes a file.
      throw Object.assign(new Error('Send the file with Content-Type: text/csv.'), { statusCode: 415 });
    }
    const file = readRecommendationsCsv(request.body);
    const dryRun = query.dryRun === true;
    const outcome = await this.imports.importRecommendations(actor, id, file, { dryRun });
    void reply.status(dryRun ? 200 : 201);
    return { ...outcome, dryRun };
  }

  @Get('recommendations/import-template.csv')
  @Requires('recommendations:read')
  @ApiOperation({ summary: 'An empty import file: the header row with every column the import reads' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ ...csvFile, headers: attachment })
  template(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply
      .type(CSV_MEDIA_TYPE)
      .header('Content-Disposition', 'attachment; filename="recommendations-import-template.csv"');
    return importTemplateCsv();
  }

  @Get('inspections/:id/action-plan')
  @Requires('recommendations:read')
  @ApiOperation({
    summary: "An inspection's action plan: each recommendation with its response, rationale and actions",
    description:
      'The data of the printable action plan sent to the inspectorate: responses worded agreed / partly agreed / ' +
      'not agreed, owners, timescales and progress. Recommendations and actions you may see only.',
  })
  @ApiOkResponse({ type: ActionPlanResponse })
  @ApiFound()
  plan(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.plans.forInspection(actor, id);
  }

  @Get('inspections/:id/action-plan.csv')
  @Requires('recommendations:read')
  @ApiOperation({
    summary: "An inspection's action plan as CSV: one row per action with its recommendation",
    description:
      'Recommendations without actions have one row with empty action columns. UTF-8 with a byte order mark, ' +
      "CRLF; cells a spreadsheet would take for a formula (= + - @) start with '. Re-imports as it is.",
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ ...csvFile, headers: attachment })
  @ApiFound()
  async inspectionCsv(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.csv(reply, await this.plans.export(actor, { kind: 'inspection', id }));
  }

  @Get('inspections/:id/action-plan.xlsx')
  @Requires('recommendations:read')
  @ApiOperation({ summary: "An inspection's action plan as a workbook (the CSV's columns and rows)" })
  @ApiProduces(XLSX_MEDIA_TYPE)
  @ApiOkResponse({ ...xlsxFile, headers: attachment })
  @ApiFound()
  async inspectionXlsx(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.xlsx(reply, await this.plans.export(actor, { kind: 'inspection', id }));
  }

  @Get('organisations/:id/action-plan.csv')
  @Requires('recommendations:read')
  @ApiOperation({ summary: "The action plans of every inspection of an organisation's recommendations, as CSV" })
  @ApiProduces('text/csv')
  @ApiOkResponse({ ...csvFile, headers: attachment })
  @ApiFound()
  async organisationCsv(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.csv(reply, await this.plans.export(actor, { kind: 'organisation', id }));
  }

  @Get('organisations/:id/action-plan.xlsx')
  @Requires('recommendations:read')
  @ApiOperation({ summary: "The action plans of an organisation's recommendations, as a workbook" })
  @ApiProduces(XLSX_MEDIA_TYPE)
  @ApiOkResponse({ ...xlsxFile, headers: attachment })
  @ApiFound()
  async organisationXlsx(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.xlsx(reply, await this.plans.export(actor, { kind: 'organisation', id }));
  }

  @Get('snapshots/:id/action-plan.csv')
  @Requires('snapshots:read')
  @ApiOperation({
    summary: 'The actions frozen in a snapshot that you may see, as CSV',
    description:
      'Status, progress, RAG, days overdue and dates as frozen; the latest update made before the snapshot; ' +
      'titles, owners and recommendations as they are now.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ ...csvFile, headers: attachment })
  @ApiFound()
  async snapshotCsv(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.csv(reply, await this.plans.export(actor, snapshot(id)));
  }

  @Get('snapshots/:id/action-plan.xlsx')
  @Requires('snapshots:read')
  @ApiOperation({ summary: 'The actions frozen in a snapshot that you may see, as a workbook' })
  @ApiProduces(XLSX_MEDIA_TYPE)
  @ApiOkResponse({ ...xlsxFile, headers: attachment })
  @ApiFound()
  async snapshotXlsx(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.xlsx(reply, await this.plans.export(actor, snapshot(id)));
  }

  private csv(reply: FastifyReply, plan: ActionPlanExport): string {
    void reply
      .type(CSV_MEDIA_TYPE)
      .header('Content-Disposition', `attachment; filename="${actionPlanFileName(plan.name, plan.asOfDate, 'csv')}"`);
    return actionPlanCsv(plan.rows);
  }

  private async xlsx(reply: FastifyReply, plan: ActionPlanExport): Promise<Buffer> {
    const body = await actionPlanXlsx(plan.rows, plan.name);
    void reply
      .type(XLSX_MEDIA_TYPE)
      .header('Content-Disposition', `attachment; filename="${actionPlanFileName(plan.name, plan.asOfDate, 'xlsx')}"`);
    return body;
  }
}

const snapshot = (id: string): ActionPlanSource => ({ kind: 'snapshot', id });
