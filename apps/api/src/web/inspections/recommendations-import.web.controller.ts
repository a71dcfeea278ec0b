import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ActionPlanImportService, InspectionView, InspectionsService } from '@rt/domain';
import { importTemplateCsv, readRecommendationsCsv } from '../../rest/action-plans/action-plan-csv';
import { WebViews } from '../views';
import { PageNotFound } from '../web-errors';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { inspectionIdOf } from './inspection.web.controller';
import { mayImport } from './inspection.view-model';
import {
  fileRefusal,
  IMPORT_GUIDE,
  importOutcomeText,
  ImportRefusal,
  importRefusal,
  uploadedCsv,
} from './recommendations-import.form';

/**
 * "Import recommendations from CSV": the file is read by the JSON API's own reader and imported by
 * ActionPlanImportService, all or nothing, so the page shows every problem with its row and imports nothing.
 */
@Injectable()
@WebPagesProvider()
export class RecommendationsImportWebController implements WebPages {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly imports: ActionPlanImportService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/inspections/:id/import', handler: (request, reply) => this.form(request, reply) },
      { method: 'POST', url: '/inspections/:id/import', handler: (request, reply) => this.import(request, reply) },
      {
        method: 'GET',
        url: '/inspections/:id/import/template.csv',
        handler: (request, reply) => this.template(request, reply),
      },
    ];
  }

  /** The inspection, if the user may import into it; anyone else gets the 404 page. */
  private async importable(request: SignedInRequest): Promise<InspectionView> {
    const inspection = await this.inspections.get(request.actor, inspectionIdOf(request));
    if (!mayImport(request.actor, inspection.organisationId)) throw new PageNotFound();
    return inspection;
  }

  private async form(request: SignedInRequest, reply: FastifyReply) {
    return this.render(request, reply, await this.importable(request));
  }

  private async template(request: SignedInRequest, reply: FastifyReply) {
    await this.importable(request);
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="recommendations-import-template.csv"')
      .header('Cache-Control', 'no-store')
      .send(importTemplateCsv());
  }

  private async import(request: SignedInRequest, reply: FastifyReply) {
    const inspection = await this.importable(request);
    const upload = uploadedCsv(request.body, 'file');
    if (!upload.ok) return this.render(request, reply, inspection, fileRefusal(upload.message));
    try {
      const file = readRecommendationsCsv(upload.data);
      const outcome = await this.imports.importRecommendations(request.actor, inspection.id, file);
      return this.views.send(request, reply, 'inspections/import-done.njk', {
        inspection,
        outcome: importOutcomeText(outcome),
      });
    } catch (error) {
      const refusal = importRefusal(error);
      if (!refusal) throw error;
      return this.render(request, reply, inspection, refusal);
    }
  }

  private render(request: SignedInRequest, reply: FastifyReply, inspection: InspectionView, refusal?: ImportRefusal) {
    return this.views.send(
      request,
      reply,
      'inspections/import.njk',
      {
        inspection,
        guide: IMPORT_GUIDE,
        errors: refusal ? { file: refusal.message } : {},
        errorList: refusal?.errorList ?? [],
      },
      refusal?.status ?? 200,
    );
  }
}
