import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ActionPlansService } from '@rt/domain';
import { actionPlanCsv } from '../../rest/action-plans/action-plan-csv';
import { actionPlanFileName, CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE } from '../../rest/action-plans/action-plan-file';
import { actionPlanXlsx } from '../../rest/action-plans/action-plan-xlsx';
import { WebViews } from '../views';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { inspectionIdOf } from './inspection.web.controller';
import { recommendationRow } from './inspection.view-model';

/** An inspection's action plan: the printable page, and the CSV and workbook files the JSON API exports. */
@Injectable()
@WebPagesProvider()
export class ActionPlanWebController implements WebPages {
  constructor(
    private readonly plans: ActionPlansService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/inspections/:id/action-plan', handler: (request, reply) => this.show(request, reply) },
      { method: 'GET', url: '/inspections/:id/action-plan.csv', handler: (request, reply) => this.csv(request, reply) },
      {
        method: 'GET',
        url: '/inspections/:id/action-plan.xlsx',
        handler: (request, reply) => this.xlsx(request, reply),
      },
    ];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const plan = await this.plans.forInspection(request.actor, inspectionIdOf(request));
    return this.views.send(request, reply, 'inspections/action-plan.njk', {
      inspection: plan.inspection,
      asOfDate: plan.asOfDate,
      recommendations: plan.recommendations.map(recommendationRow),
    });
  }

  private async csv(request: SignedInRequest, reply: FastifyReply) {
    const plan = await this.plans.export(request.actor, { kind: 'inspection', id: inspectionIdOf(request) });
    return this.file(
      reply,
      CSV_MEDIA_TYPE,
      actionPlanFileName(plan.name, plan.asOfDate, 'csv'),
      actionPlanCsv(plan.rows),
    );
  }

  private async xlsx(request: SignedInRequest, reply: FastifyReply) {
    const plan = await this.plans.export(request.actor, { kind: 'inspection', id: inspectionIdOf(request) });
    const body = await actionPlanXlsx(plan.rows, plan.name);
    return this.file(reply, XLSX_MEDIA_TYPE, actionPlanFileName(plan.name, plan.asOfDate, 'xlsx'), body);
  }

  private file(reply: FastifyReply, type: string, name: string, body: string | Buffer) {
    return reply
      .type(type)
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .header('Cache-Control', 'no-store')
      .send(body);
  }
}
