import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeCondition } from '../access/actor';
import { DomainException } from '../shared/domain.exception';
import { decodeCursor, Page, PageRequest, pageSize, toPage } from '../shared/keyset-cursor';
import { Queryable, SqlParams, iso, poolReader, returnedRows } from '../shared/sql';
import { hashPassword } from './passwords';
import { CreateUserInput, UpdateOwnPreferencesInput, UpdateUserInput, UserFilter, UserView } from './user';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: UserView['role'];
  organisation_id: string | null;
  active: boolean;
  accountable_lead: boolean;
  reminder_delivery: UserView['reminderDelivery'];
  weekly_digest: boolean;
  portfolio: string[];
  created_at: Date;
  updated_at: Date;
  version: number;
}

const SELECT = `
  SELECT u.id, u.email, u.name, u.role, u.organisation_id, u.active, u.accountable_lead, u.reminder_delivery,
    u.weekly_digest, u.created_at, u.updated_at, u.version,
    ARRAY(SELECT p.organisation_id FROM portfolios p WHERE p.user_id = u.id ORDER BY p.organisation_id) AS portfolio
  FROM users u`;

const NEEDS_ORGANISATION = new Set(['senior_manager', 'viewer']);

function toView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    organisationId: row.organisation_id,
    active: row.active,
    portfolioOrganisationIds: row.portfolio,
    accountableLead: row.accountable_lead,
    reminderDelivery: row.reminder_delivery,
    weeklyDigest: row.weekly_digest,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    version: row.version,
  };
}

/** Users an actor may see: everyone in their scope's organisations, and always themselves. */
function visibleCondition(actor: Actor, p: SqlParams): string {
  return `(${scopeCondition(actor, 'u.organisation_id', (v) => p.add(v))} OR u.id = ${p.add(actor.id)})`;
}

@Injectable()
export class UsersService {
  private readonly read: Queryable;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.read = poolReader(db);
  }

  async list(actor: Actor, filter: UserFilter, page: PageRequest): Promise<Page<UserView>> {
    const p = new SqlParams();
    const where = [visibleCondition(actor, p)];
    if (filter.organisationId) where.push(`u.organisation_id = ${p.add(filter.organisationId)}`);
    if (filter.role) where.push(`u.role = ${p.add(filter.role)}`);
    if (filter.active !== undefined) where.push(`u.active = ${p.add(filter.active)}`);
    if (page.cursor) {
      const [name, id] = decodeCursor(page.cursor, ['string', 'uuid']);
      where.push(`(u.name, u.id) > (${p.add(name)}, ${p.add(id)}::uuid)`);
    }
    const size = pageSize(page.limit);
    const rows: UserRow[] = await this.read.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY u.name, u.id LIMIT ${size + 1}`,
      p.values,
    );
    return toPage(rows, size, (r) => [r.name, r.id], toView);
  }

  async get(actor: Actor, id: string, manager: Queryable = this.read): Promise<UserView> {
    const p = new SqlParams();
    const rows: UserRow[] = await manager.query(
      `${SELECT} WHERE u.id = ${p.add(id)} AND ${visibleCondition(actor, p)}`,
      p.values,
    );
    if (rows.length === 0) throw DomainException.notFound('User');
    return toView(rows[0]);
  }

  async create(actor: Actor, input: CreateUserInput): Promise<UserView> {
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction(async (manager) => {
      const organisationId = input.organisationId ?? null;
      await this.checkOrganisation(manager, input.role, organisationId);
      checkAccountableLead(input.role, input.accountableLead ?? false);
      const [{ id }] = await manager.query(
        `INSERT INTO users (email, name, role, organisation_id, password_hash, active, accountable_lead,
           reminder_delivery, weekly_digest)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          input.email.trim(),
          input.name.trim(),
          input.role,
          organisationId,
          passwordHash,
          input.active ?? true,
          input.accountableLead ?? false,
          input.reminderDelivery ?? 'immediate',
          input.weeklyDigest ?? true,
        ],
      );
      return this.get(actor, id, manager);
    });
  }

  async update(actor: Actor, id: string, expectedVersion: number, input: UpdateUserInput): Promise<UserView> {
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.db.transaction(async (manager) => {
      const current = await this.get(actor, id, manager);
      const role = input.role ?? current.role;
      const organisationId = input.organisationId !== undefined ? input.organisationId : current.organisationId;
      if (role !== current.role || organisationId !== current.organisationId) {
        await this.checkOrganisation(manager, role, organisationId);
        await this.checkNoOpenActionsElsewhere(manager, id, role, organisationId);
      }
      if (id === actor.id && (input.active === false || (input.role && input.role !== 'admin'))) {
        throw DomainException.rule(
          'admin-cannot-demote-self',
          input.active === false ? 'active' : 'role',
          'you cannot disable yourself or remove your own admin role; ask another admin',
        );
      }
      const active = input.active ?? current.active;
      // Only senior managers lead for their organisation: a change of role ends it unless restated.
      const accountableLead = input.accountableLead ?? (role === 'senior_manager' && current.accountableLead);
      checkAccountableLead(role, accountableLead);
      const revokeTokens = passwordHash !== null || (current.active && !active);
      const updated = returnedRows<{ id: string }>(
        await manager.query(
          `UPDATE users SET email = $3, name = $4, role = $5, organisation_id = $6, active = $7,
             password_hash = COALESCE($8, password_hash), accountable_lead = $10, reminder_delivery = $11,
             weekly_digest = $12, token_generation = token_generation + CASE WHEN $9 THEN 1 ELSE 0 END,
             version = version + 1, updated_at = now()
           WHERE id = $1 AND version = $2 RETURNING id`,
          [
            id,
            expectedVersion,
            input.email?.trim() ?? current.email,
            input.name?.trim() ?? current.name,
            role,
            organisationId,
            active,
            passwordHash,
            revokeTokens,
            accountableLead,
            input.reminderDelivery ?? current.reminderDelivery,
            input.weeklyDigest ?? current.weeklyDigest,
          ],
        ),
      );
      if (updated.length === 0) throw DomainException.stale('This user');
      if (role !== 'performance_manager') await manager.query(`DELETE FROM portfolios WHERE user_id = $1`, [id]);
      return this.get(actor, id, manager);
    });
  }

  /** A user's own preferences (any signed-in user, for themselves). */
  async updateOwnPreferences(
    actor: Actor,
    expectedVersion: number,
    input: UpdateOwnPreferencesInput,
  ): Promise<UserView> {
    const updated = returnedRows(
      await this.db.query(
        `UPDATE users SET reminder_delivery = COALESCE($3, reminder_delivery),
           weekly_digest = COALESCE($4, weekly_digest), version = version + 1, updated_at = now()
         WHERE id = $1 AND version = $2 RETURNING id`,
        [actor.id, expectedVersion, input.reminderDelivery ?? null, input.weeklyDigest ?? null],
      ),
    );
    if (updated.length === 0) throw DomainException.stale('Your account');
    return this.get(actor, actor.id);
  }

  async setPortfolio(actor: Actor, id: string, organisationIds: string[]): Promise<UserView> {
    return this.db.transaction(async (manager) => {
      const user = await this.get(actor, id, manager);
      if (user.role !== 'performance_manager') {
        throw DomainException.rule(
          'portfolio-needs-performance-manager',
          'organisationIds',
          'only performance managers have a portfolio',
        );
      }
      const unique = [...new Set(organisationIds)];
      const found: { id: string }[] = await manager.query(`SELECT id FROM organisations WHERE id = ANY($1::uuid[])`, [
        unique,
      ]);
      const missing = unique.filter((o) => !found.some((f) => f.id === o));
      if (missing.length) {
        throw DomainException.invalid('organisationIds', `no organisation has the id ${missing.join(', ')}`);
      }
      await manager.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [id]);
      await manager.query(`DELETE FROM portfolios WHERE user_id = $1`, [id]);
      await manager.query(`INSERT INTO portfolios (user_id, organisation_id) SELECT $1, unnest($2::uuid[])`, [
        id,
        unique,
      ]);
      await manager.query(`UPDATE users SET version = version + 1, updated_at = now() WHERE id = $1`, [id]);
      return this.get(actor, id, manager);
    });
  }

  /** Creates the first admin when there are no users at all; a no-op otherwise. Safe to race. */
  async ensureFirstAdmin(email: string, password: string): Promise<boolean> {
    const passwordHash = await hashPassword(password);
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('users:first-admin'))`);
      const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM users`);
      if (count > 0) return false;
      await manager.query(
        `INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'Administrator', 'admin', $2)`,
        [email.trim(), passwordHash],
      );
      return true;
    });
  }

  private async checkOrganisation(manager: EntityManager, role: string, organisationId: string | null) {
    if (NEEDS_ORGANISATION.has(role) && !organisationId) {
      throw DomainException.invalid('organisationId', 'senior managers and viewers must belong to an organisation');
    }
    if (organisationId) {
      const rows = await manager.query(`SELECT 1 FROM organisations WHERE id = $1`, [organisationId]);
      if (rows.length === 0) throw DomainException.invalid('organisationId', 'no organisation has this id');
    }
  }

  /** An action's owner belongs to the organisation that owns it; moving the owner would break that. */
  private async checkNoOpenActionsElsewhere(
    manager: EntityManager,
    userId: string,
    role: string,
    organisationId: string | null,
  ) {
    const [{ count }] = await manager.query(
      `SELECT count(*)::int AS count FROM actions
       WHERE owner_id = $1 AND status IN ('not_started', 'in_progress', 'blocked')
         AND ($2::text <> 'senior_manager' OR organisation_id IS DISTINCT FROM $3::uuid)`,
      [userId, role, organisationId],
    );
    if (count > 0) {
      throw DomainException.rule(
        'owner-has-open-actions',
        role !== 'senior_manager' ? 'role' : 'organisationId',
        `this user owns ${count} open action${count === 1 ? '' : 's'} that would be left with an owner outside ` +
          `the organisation; reassign ${count === 1 ? 'it' : 'them'} first`,
      );
    }
  }
}

function checkAccountableLead(role: string, accountableLead: boolean): void {
  if (accountableLead && role !== 'senior_manager') {
    throw DomainException.rule(
      'accountable-lead-is-senior-manager',
      'accountableLead',
      "only a senior manager can be their organisation's accountable lead",
    );
  }
}
