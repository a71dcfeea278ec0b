import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeCondition } from '../access/actor';
import { DomainException } from '../shared/domain.exception';
import { decodeCursor, Page, PageRequest, pageSize, toPage } from '../shared/keyset-cursor';
import { Queryable, SqlParams, iso, poolReader, returnedRows } from '../shared/sql';
import { CreateOrganisationInput, OrganisationFilter, OrganisationView, UpdateOrganisationInput } from './organisation';

interface OrganisationRow {
  id: string;
  name: string;
  kind: OrganisationView['kind'];
  region: OrganisationView['region'];
  status: OrganisationView['status'];
  dissolved_on: string | null;
  successor_ids: string[];
  predecessor_ids: string[];
  created_at: Date;
  updated_at: Date;
  version: number;
}

const SELECT = `
  SELECT o.id, o.name, o.kind, o.region, o.status, o.dissolved_on, o.created_at, o.updated_at, o.version,
    ARRAY(SELECT s.successor_id FROM organisation_successors s WHERE s.predecessor_id = o.id ORDER BY s.successor_id)
      AS successor_ids,
    ARRAY(SELECT s.predecessor_id FROM organisation_successors s WHERE s.successor_id = o.id ORDER BY s.predecessor_id)
      AS predecessor_ids
  FROM organisations o`;

function toView(row: OrganisationRow): OrganisationView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    region: row.region,
    status: row.status,
    dissolvedOn: row.dissolved_on,
    successorIds: row.successor_ids,
    predecessorIds: row.predecessor_ids,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    version: row.version,
  };
}

@Injectable()
export class OrganisationsService {
  private readonly read: Queryable;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.read = poolReader(db);
  }

  async list(actor: Actor, filter: OrganisationFilter, page: PageRequest): Promise<Page<OrganisationView>> {
    const p = new SqlParams();
    const where = [scopeCondition(actor, 'o.id', (v) => p.add(v))];
    if (filter.kind) where.push(`o.kind = ${p.add(filter.kind)}`);
    if (filter.region) where.push(`o.region = ${p.add(filter.region)}`);
    if (filter.status) where.push(`o.status = ${p.add(filter.status)}`);
    if (page.cursor) {
      const [name, id] = decodeCursor(page.cursor, ['string', 'uuid']);
      where.push(`(o.name, o.id) > (${p.add(name)}, ${p.add(id)}::uuid)`);
    }
    const size = pageSize(page.limit);
    const rows: OrganisationRow[] = await this.read.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY o.name, o.id LIMIT ${size + 1}`,
      p.values,
    );
    return toPage(rows, size, (r) => [r.name, r.id], toView);
  }

  async get(actor: Actor, id: string, manager: Queryable = this.read): Promise<OrganisationView> {
    const p = new SqlParams();
    const rows: OrganisationRow[] = await manager.query(
      `${SELECT} WHERE o.id = ${p.add(id)} AND ${scopeCondition(actor, 'o.id', (v) => p.add(v))}`,
      p.values,
    );
    if (rows.length === 0) throw DomainException.notFound('Organisation');
    return toView(rows[0]);
  }

  async create(actor: Actor, input: CreateOrganisationInput): Promise<OrganisationView> {
    return this.db.transaction(async (manager) => {
      const status = input.status ?? 'active';
      checkDissolution(status, input.dissolvedOn ?? null);
      const [{ id }] = await manager.query(
        `INSERT INTO organisations (name, kind, region, status, dissolved_on) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [input.name.trim(), input.kind, input.region, status, input.dissolvedOn ?? null],
      );
      if (input.successorIds?.length) await this.setSuccessors(manager, id, input.successorIds);
      return this.get(actor, id, manager);
    });
  }

  async update(
    actor: Actor,
    id: string,
    expectedVersion: number,
    input: UpdateOrganisationInput,
  ): Promise<OrganisationView> {
    return this.db.transaction(async (manager) => {
      const current = await this.get(actor, id, manager);
      const status = input.status ?? current.status;
      const dissolvedOn =
        input.dissolvedOn !== undefined ? input.dissolvedOn : status === 'active' ? null : current.dissolvedOn;
      checkDissolution(status, dissolvedOn);
      const updated = returnedRows<{ id: string }>(
        await manager.query(
          `UPDATE organisations SET name = $3, kind = $4, region = $5, status = $6, dissolved_on = $7,
           version = version + 1, updated_at = now()
         WHERE id = $1 AND version = $2 RETURNING id`,
          [
            id,
            expectedVersion,
            input.name?.trim() ?? current.name,
            input.kind ?? current.kind,
            input.region ?? current.region,
            status,
            dissolvedOn,
          ],
        ),
      );
      if (updated.length === 0) throw DomainException.stale('This organisation');
      if (input.successorIds) {
        await manager.query(`DELETE FROM organisation_successors WHERE predecessor_id = $1`, [id]);
        await this.setSuccessors(manager, id, input.successorIds);
      }
      return this.get(actor, id, manager);
    });
  }

  private async setSuccessors(manager: EntityManager, id: string, successorIds: string[]): Promise<void> {
    const unique = [...new Set(successorIds)];
    if (unique.includes(id)) throw DomainException.invalid('successorIds', 'an organisation cannot succeed itself');
    const found: { id: string }[] = await manager.query(`SELECT id FROM organisations WHERE id = ANY($1::uuid[])`, [
      unique,
    ]);
    const missing = unique.filter((s) => !found.some((f) => f.id === s));
    if (missing.length) {
      throw DomainException.invalid('successorIds', `no organisation has the id ${missing.join(', ')}`);
    }
    await manager.query(
      `INSERT INTO organisation_successors (predecessor_id, successor_id) SELECT $1, unnest($2::uuid[])`,
      [id, unique],
    );
  }
}

function checkDissolution(status: string, dissolvedOn: string | null): void {
  if (status === 'dissolved' && !dissolvedOn) {
    throw DomainException.invalid('dissolvedOn', 'a dissolved organisation needs the date it was dissolved');
  }
  if (status === 'active' && dissolvedOn) {
    throw DomainException.invalid('dissolvedOn', 'an active organisation cannot have a dissolution date');
  }
}
