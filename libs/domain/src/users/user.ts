import { Role } from '../access/roles';

export const REMINDER_DELIVERIES = ['immediate', 'weekly'] as const;
export type ReminderDelivery = (typeof REMINDER_DELIVERIES)[number];

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string | null;
  active: boolean;
  /** Performance managers: the organisations they oversee; empty for everyone else. */
  portfolioOrganisationIds: string[];
  /** Senior managers: hears of this organisation's actions once they are well overdue (escalations). */
  accountableLead: boolean;
  /** Reminders with each run, or gathered into one email on Mondays (escalations always go at once). */
  reminderDelivery: ReminderDelivery;
  /** Performance managers: the Monday email about their portfolio's week (on unless they turn it off). */
  weeklyDigest: boolean;
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
  accountableLead?: boolean;
  reminderDelivery?: ReminderDelivery;
  weeklyDigest?: boolean;
}

export interface UpdateUserInput {
  email?: string;
  name?: string;
  role?: Role;
  organisationId?: string | null;
  password?: string;
  active?: boolean;
  accountableLead?: boolean;
  reminderDelivery?: ReminderDelivery;
  weeklyDigest?: boolean;
}

/** What every user may change about themselves. */
export interface UpdateOwnPreferencesInput {
  reminderDelivery?: ReminderDelivery;
  weeklyDigest?: boolean;
}

export interface UserFilter {
  organisationId?: string;
  role?: Role;
  active?: boolean;
}
