import { Role } from '../access/roles';

export const REMINDER_DELIVERIES = ['immediate', 'weekly'] as const;

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string | null;
  active: boolean;
  /** Performance managers: the organisations they oversee; empty for everyone else. */
  portfolioOrganisationIds: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CreateUserInput {
  email: string;
  name: string;
  role: Role;
  organisationId?: string | null;
  password: string;
  active?: boolean;
}

export interface UpdateUserInput {
  email?: string;
  name?: string;
  role?: Role;
  organisationId?: string | null;
  password?: string;
  active?: boolean;
}

export interface UserFilter {
  organisationId?: string;
  role?: Role;
  active?: boolean;
}
