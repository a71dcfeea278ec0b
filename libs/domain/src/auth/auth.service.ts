import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { poolReader, Queryable } from '../shared/sql';
import { DataSource } from 'typeorm';
import { Actor } from '../access/actor';
import { Role } from '../access/roles';
import { decoyHash, verifyPassword } from '../users/passwords';

interface ActorRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisation_id: string | null;
  portfolio: string[];
}

/** One statement per request: the user, whether their sessions still stand, and their portfolio. */
export const ACTOR_SQL = `
  SELECT u.id, u.email, u.name, u.role, u.organisation_id,
    ARRAY(SELECT p.organisation_id FROM portfolios p WHERE p.user_id = u.id) AS portfolio
  FROM users u
  WHERE u.id = $1 AND u.active AND u.token_generation = $2`;

function toActor(row: ActorRow): Actor {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    organisationId: row.organisation_id,
    portfolioOrganisationIds: row.portfolio,
  };
}

export interface SignedInActor {
  actor: Actor;
  tokenGeneration: number;
}

@Injectable()
export class AuthService {
  private readonly read: Queryable;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.read = poolReader(db);
  }

  /** The active user with this email and password, or null; costs the same whether or not the email exists. */
  async verifyCredentials(email: string, password: string): Promise<SignedInActor | null> {
    const rows: (ActorRow & { password_hash: string; active: boolean; token_generation: number })[] =
      await this.read.query(
        `SELECT u.id, u.email, u.name, u.role, u.organisation_id, u.password_hash, u.active, u.token_generation,
         ARRAY(SELECT p.organisation_id FROM portfolios p WHERE p.user_id = u.id) AS portfolio
       FROM users u WHERE lower(u.email) = lower($1)`,
        [email.trim()],
      );
    const row = rows[0];
    const ok = await verifyPassword(row?.password_hash ?? (await decoyHash()), password);
    return ok && row && row.active ? { actor: toActor(row), tokenGeneration: row.token_generation } : null;
  }

  /**
   * The actor a token speaks for, or null when the user has gone, been disabled, or had their tokens revoked
   * (a password change or disabling moves the user to a new token generation).
   */
  async actorFor(userId: string, tokenGeneration: number): Promise<Actor | null> {
    const rows: ActorRow[] = await this.read.query(ACTOR_SQL, [userId, tokenGeneration]);
    return rows.length ? toActor(rows[0]) : null;
  }
}
