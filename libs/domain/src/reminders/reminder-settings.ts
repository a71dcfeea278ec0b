/** When reminders go, per DOMAIN.md's defaults: 14 and 3 days before, on the day, weekly while overdue. */
export interface ReminderSettings {
  /** Days before the due date on which the owner is reminded, e.g. [14, 3]. */
  offsetsDays: number[];
  /** While overdue, the owner is reminded every this many days. */
  overdueRepeatDays: number;
  /** Days overdue after which the accountable lead and performance managers hear of it. */
  escalationAfterDays: number;
  /** The escalation repeats every this many days while the action stays overdue. */
  escalationRepeatDays: number;
  /** London time of day from which the day's run goes, HH:MM. */
  sendTime: string;
}

export const SETTING_FIELDS = [
  'offsetsDays',
  'overdueRepeatDays',
  'escalationAfterDays',
  'escalationRepeatDays',
  'sendTime',
] as const;

export interface ReminderDefaultsView extends ReminderSettings {
  updatedAt: string;
  version: number;
}

/** An organisation's own settings (null: use the default) and what applies to it. */
export interface OrganisationReminderSettingsView {
  organisationId: string;
  overrides: { [K in keyof ReminderSettings]: ReminderSettings[K] | null };
  effective: ReminderSettings;
  updatedAt: string | null;
  version: number;
}

export type UpdateReminderDefaultsInput = Partial<ReminderSettings>;
export type UpdateOrganisationReminderSettingsInput = { [K in keyof ReminderSettings]?: ReminderSettings[K] | null };
