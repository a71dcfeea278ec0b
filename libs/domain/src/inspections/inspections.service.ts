import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, inScope, scopeCondition } from '../access/actor';
import { DomainException } from '../shared/domain.exception';
import { decodeCursor, Page, PageRequest, pageSize, toPage } from '../shared/keyset-cursor';
import { Queryable, SqlParams, iso, poolReader, returnedRows } from '../shared/sql';
import {
  CreateFindingInput,
  CreateInspectionInput,
  FindingView,
  InspectionFilter,
  InspectionView,
  UpdateInspectionInput,
} from './inspection';

interface InspectionRow {
  id: string;
  organisation_id: string;
  organisation_name: string;
  inspectorate_id: string;
  inspectorate_name: string;
  title: string;
  programme: string | null;
  published_on: string;
  published_on_approximate: boolean;
  report_url: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const SELECT = `
  SELECT i.id, i.organisation_id, o.name AS organisation_name, i.inspectorate_id, ins.name AS inspectorate_name,
    i.title, i.programme, i.published_on, i.published_on_approximate, i.report_url, i.created_at, i.updated_at,
    i.version
  FROM inspections i
  JOIN organisations o ON o.id = i.organisation_id
  JOIN organisations ins ON ins.id = i.inspectorate_id`;

function toView(row: InspectionRow): InspectionView {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    inspectorateId: row.inspectorate_id,
    inspectorateName: row.inspectorate_name,
    title: row.title,
    programme: row.programme,
    publishedOn: row.published_on,
    publishedOnApproximate: row.published_on_approximate,
    reportUrl: row.report_url,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    version: row.version,
  };
}

/**
 * An inspection is visible to those who see the inspected organisation, and to those who own one of its
 * recommendations (a successor body after a hand-over).
 */
function visibleCondition(actor: Actor, p: SqlParams): string {
  const direct = scopeCondition(actor, 'i.organisation_id', (v) => p.add(v));
  if (direct === 'TRUE') return direct;
  const viaRecommendation = scopeCondition(actor, 'r.owner_organisation_id', (v) => p.add(v));
  return `(${direct} OR EXISTS (SELECT 1 FROM recommendations r WHERE r.inspection_id = i.id AND ${viaRecommendation}))`;
}

@Injectable()
export class InspectionsService {
  private readonly read: Queryable;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.read = poolReader(db);
  }

  async list(actor: Actor, filter: InspectionFilter, page: PageRequest): Promise<Page<InspectionView>> {
    const p = new SqlParams();
    const where = [visibleCondition(actor, p)];
    if (filter.organisationId) where.push(`i.organisation_id = ${p.add(filter.organisationId)}`);
    if (page.cursor) {
      const [publishedOn, id] = decodeCursor(page.cursor, ['date', 'uuid']);
      where.push(`(i.published_on, i.id) < (${p.add(publishedOn)}::date, ${p.add(id)}::uuid)`);
    }
    const size = pageSize(page.limit);
    const rows: InspectionRow[] = await this.read.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY i.published_on DESC, i.id DESC LIMIT ${size + 1}`,
      p.values,
    );
    return toPage(rows, size, (r) => [r.published_on, r.id], toView);
  }

  async get(actor: Actor, id: string, manager: Queryable = this.read): Promise<InspectionView> {
    const p = new SqlParams();
    const rows: InspectionRow[] = await manager.query(
      `${SELECT} WHERE i.id = ${p.add(id)} AND ${visibleCondition(actor, p)}`,
      p.values,
    );
    if (rows.length === 0) throw DomainException.notFound('Inspection');
    return toView(rows[0]);
  }

  async create(actor: Actor, input: CreateInspectionInput): Promise<InspectionView> {
    return this.db.transaction(async (manager) => {
      await this.checkOrganisations(manager, actor, input.organisationId, input.inspectorateId);
      const [{ id }] = await manager.query(
        `INSERT INTO inspections (organisation_id, inspectorate_id, title, programme, published_on,
           published_on_approximate, report_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          input.organisationId,
          input.inspectorateId,
          input.title.trim(),
          input.programme ?? null,
          input.publishedOn,
          input.publishedOnApproximate ?? false,
          input.reportUrl ?? null,
        ],
      );
      return this.get(actor, id, manager);
    });
  }

  async update(
    actor: Actor,
    id: string,
    expectedVersion: number,
    input: UpdateInspectionInput,
  ): Promise<InspectionView> {
    return this.db.transaction(async (manager) => {
      const current = await this.getForWrite(actor, id, manager);
      const organisationId = input.organisationId ?? current.organisationId;
      const inspectorateId = input.inspectorateId ?? current.inspectorateId;
      if (organisationId !== current.organisationId || inspectorateId !== current.inspectorateId) {
        await this.checkOrganisations(manager, actor, organisationId, inspectorateId);
      }
      if (organisationId !== current.organisationId) {
        const [{ count }] = await manager.query(
          `SELECT count(*)::int AS count FROM recommendations WHERE inspection_id = $1`,
          [id],
        );
        if (count > 0) {
          throw DomainException.rule(
            'inspected-organisation-fixed',
            'organisationId',
            'the inspected organisation cannot change once the inspection has recommendations',
          );
        }
      }
      const updated = returnedRows(
        await manager.query(
          `UPDATE inspections SET organisation_id = $3, inspectorate_id = $4, title = $5, programme = $6,
             published_on = $7, published_on_approximate = $8, report_url = $9, version = version + 1,
             updated_at = now()
           WHERE id = $1 AND version = $2 RETURNING id`,
          [
            id,
            expectedVersion,
            organisationId,
            inspectorateId,
            input.title?.trim() ?? current.title,
            input.programme !== undefined ? input.programme : current.programme,
            input.publishedOn ?? current.publishedOn,
            input.publishedOnApproximate ?? current.publishedOnApproximate,
            input.reportUrl !== undefined ? input.reportUrl : current.reportUrl,
          ],
        ),
      );
      if (updated.length === 0) throw DomainException.stale('This inspection');
      return this.get(actor, id, manager);
    });
  }

  async listFindings(actor: Actor, inspectionId: string, page: PageRequest): Promise<Page<FindingView>> {
    await this.get(actor, inspectionId);
    const p = new SqlParams();
    const where = [`f.inspection_id = ${p.add(inspectionId)}`];
    if (page.cursor) {
      const [ordinal] = decodeCursor(page.cursor, ['number']);
      where.push(`f.ordinal > ${p.add(ordinal)}`);
    }
    const size = pageSize(page.limit);
    const rows: FindingRow[] = await this.read.query(
      `${FINDING_SELECT} WHERE ${where.join(' AND ')} ORDER BY f.ordinal LIMIT ${size + 1}`,
      p.values,
    );
    return toPage(rows, size, (r) => [r.ordinal], findingView);
  }

  async addFinding(actor: Actor, inspectionId: string, input: CreateFindingInput): Promise<FindingView> {
    return this.db.transaction(async (manager) => {
      await this.getForWrite(actor, inspectionId, manager);
      await manager.query(`SELECT id FROM inspections WHERE id = $1 FOR UPDATE`, [inspectionId]);
      const recommendationIds = [...new Set((input.recommendationIds ?? []).map((r) => r.toLowerCase()))];
      if (recommendationIds.length) {
        const found: { id: string }[] = await manager.query(
          `SELECT id FROM recommendations WHERE inspection_id = $1 AND id = ANY($2::uuid[])`,
          [inspectionId, recommendationIds],
        );
        const missing = recommendationIds.filter((r) => !found.some((f) => f.id === r));
        if (missing.length) {
          throw DomainException.invalid(
            'recommendationIds',
            `these are not recommendations of this inspection: ${missing.join(', ')}`,
          );
        }
      }
      const [{ id }] = await manager.query(
        `INSERT INTO findings (inspection_id, ordinal, kind, text)
         VALUES ($1, (SELECT coalesce(max(ordinal), 0) + 1 FROM findings WHERE inspection_id = $1), $2, $3)
         RETURNING id`,
        [inspectionId, input.kind, input.text.trim()],
      );
      if (recommendationIds.length) {
        await manager.query(
          `INSERT INTO finding_recommendations (finding_id, recommendation_id) SELECT $1, unnest($2::uuid[])`,
          [id, recommendationIds],
        );
      }
      const [row]: FindingRow[] = await manager.query(`${FINDING_SELECT} WHERE f.id = $1`, [id]);
      return findingView(row);
    });
  }

  /**
   * The inspection, if the actor may change it: admins always; performance managers when the inspected
   * organisation is in their portfolio. Seeing it through a handed-over recommendation is not enough.
   */
  async getForWrite(actor: Actor, id: string, manager: EntityManager): Promise<InspectionView> {
    const inspection = await this.get(actor, id, manager);
    if (!inScope(actor, inspection.organisationId)) {
      throw DomainException.forbidden('this inspection is of an organisation outside your portfolio');
    }
    return inspection;
  }

  private async checkOrganisations(
    manager: EntityManager,
    actor: Actor,
    organisationId: string,
    inspectorateId: string,
  ): Promise<void> {
    const rows: { id: string; kind: string }[] = await manager.query(
      `SELECT id, kind FROM organisations WHERE id = ANY($1::uuid[])`,
      [[organisationId, inspectorateId]],
    );
    const inspected = rows.find((r) => r.id === organisationId);
    if (!inspected || !inScope(actor, organisationId)) {
      throw DomainException.invalid('organisationId', 'no organisation you oversee has this id');
    }
    if (inspected.kind === 'inspectorate' || inspected.kind === 'oversight') {
      throw DomainException.invalid('organisationId', 'inspectorates and oversight bodies are not inspected here');
    }
    if (rows.find((r) => r.id === inspectorateId)?.kind !== 'inspectorate') {
      throw DomainException.invalid('inspectorateId', 'no inspectorate has this id');
    }
  }
}

interface FindingRow {
  id: string;
  inspection_id: string;
  ordinal: number;
  kind: FindingView['kind'];
  text: string;
  recommendation_ids: string[];
  created_at: Date;
}

const FINDING_SELECT = `
  SELECT f.id, f.inspection_id, f.ordinal, f.kind, f.text, f.created_at,
    ARRAY(SELECT fr.recommendation_id FROM finding_recommendations fr WHERE fr.finding_id = f.id
          ORDER BY fr.recommendation_id) AS recommendation_ids
  FROM findings f`;

function findingView(row: FindingRow): FindingView {
  return {
    id: row.id,
    inspectionId: row.inspection_id,
    kind: row.kind,
    text: row.text,
    recommendationIds: row.recommendation_ids,
    createdAt: iso(row.created_at)!,
  };
}
