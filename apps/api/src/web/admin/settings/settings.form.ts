import {
  OrganisationReminderSettingsView,
  ReminderDefaultsView,
  ReminderSettings,
  SETTING_FIELDS,
  UpdateOrganisationReminderSettingsInput,
} from '@rt/domain';
import {
  UpdateOrganisationReminderSettingsRequest,
  UpdateReminderDefaultsRequest,
} from '../../../rest/reminder-settings/reminder-settings.dto';
import { dtoErrors, FormErrors } from '../admin-form';
import { errorSummary } from '../../error-summary';
import { readFields } from '../../web-forms';

/** The settings, in the domain's order (the form's order too). */
const SETTINGS = SETTING_FIELDS;
const FIELDS = ['version', ...SETTINGS] as const;
export type SettingsForm = Record<(typeof FIELDS)[number], string>;

/**
 * In the words of the page; the numbers are the API's rules (reminder-settings.dto.ts), which the form is checked
 * against, and settings.form.spec.ts holds the two together.
 */
const RULES: Record<(typeof SETTINGS)[number], string> = {
  offsetsDays: 'Days before the due date must each be from 1 to 90, and no more than 10 of them',
  overdueRepeatDays: 'Overdue reminders must repeat every 1 to 90 days',
  escalationAfterDays: 'Escalation must start 1 to 365 days after the due date',
  escalationRepeatDays: 'Escalations must repeat every 1 to 365 days',
  sendTime: 'Enter the send time as a 24-hour time from 00:00 to 23:59, like 07:00',
};

const NUMBER_WORDS: Record<string, string> = {
  overdueRepeatDays: 'how often overdue reminders repeat',
  escalationAfterDays: 'how many days overdue before escalating',
  escalationRepeatDays: 'how often escalations repeat',
};

export const readSettingsForm = (body: unknown): SettingsForm => readFields(body, FIELDS);

const text = (settings: Partial<Record<keyof ReminderSettings, unknown>>): Omit<SettingsForm, 'version'> => ({
  offsetsDays: Array.isArray(settings.offsetsDays) ? settings.offsetsDays.join(', ') : '',
  overdueRepeatDays: settings.overdueRepeatDays == null ? '' : String(settings.overdueRepeatDays),
  escalationAfterDays: settings.escalationAfterDays == null ? '' : String(settings.escalationAfterDays),
  escalationRepeatDays: settings.escalationRepeatDays == null ? '' : String(settings.escalationRepeatDays),
  sendTime: typeof settings.sendTime === 'string' ? settings.sendTime : '',
});

export const formFromDefaults = (d: ReminderDefaultsView): SettingsForm => ({ version: String(d.version), ...text(d) });

/** An organisation's own values; a blank box means "use the default". */
export const formFromOrganisation = (s: OrganisationReminderSettingsView): SettingsForm => ({
  version: String(s.version),
  ...text(s.overrides),
});

/** The settings in words, for summaries and hints ("14 and 3 days before"). */
export const describeSettings = (s: ReminderSettings) => text(s);

type Values = { [K in keyof ReminderSettings]: ReminderSettings[K] | null };

/** Each box to its value (null when blank), or the reason it is not one. */
function parseBoxes(form: SettingsForm, errors: FormErrors): Values {
  const values: Values = {
    offsetsDays: null,
    overdueRepeatDays: null,
    escalationAfterDays: null,
    escalationRepeatDays: null,
    sendTime: null,
  };
  const offsets = form.offsetsDays.split(/[\s,]+/).filter(Boolean);
  if (offsets.length) {
    if (!offsets.every((o) => /^\d{1,4}$/.test(o))) {
      errors.offsetsDays = 'Enter days before the due date as whole numbers separated by commas, like 14, 3';
    } else {
      const days = offsets.map(Number);
      if (new Set(days).size !== days.length) errors.offsetsDays = 'Enter each day before the due date only once';
      else values.offsetsDays = days;
    }
  }
  for (const field of ['overdueRepeatDays', 'escalationAfterDays', 'escalationRepeatDays'] as const) {
    const box = form[field].trim();
    if (!box) continue;
    if (/^\d{1,4}$/.test(box)) values[field] = Number(box);
    else errors[field] = `Enter ${NUMBER_WORDS[field]} as a whole number of days`;
  }
  const time = form.sendTime.trim();
  if (time) {
    const match = /^(\d{1,2})[:.](\d{2})$/.exec(time);
    if (match) values.sendTime = `${match[1].padStart(2, '0')}:${match[2]}`;
    else errors.sendTime = RULES.sendTime;
  }
  return values;
}

export type Parsed<T> = { ok: true; input: T } | { ok: false; errors: FormErrors };

/** The defaults: every setting needs a value. */
export async function parseDefaults(form: SettingsForm): Promise<Parsed<ReminderSettings>> {
  const errors: FormErrors = {};
  const values = parseBoxes(form, errors);
  const missing: Record<string, string> = {
    offsetsDays: 'Enter the days before the due date when owners are reminded',
    overdueRepeatDays: 'Enter how often overdue reminders repeat',
    escalationAfterDays: 'Enter how many days overdue before escalating',
    escalationRepeatDays: 'Enter how often escalations repeat',
    sendTime: 'Enter the time reminders are sent',
  };
  for (const field of SETTINGS) if (values[field] === null && !errors[field]) errors[field] = missing[field];
  if (Object.keys(errors).length) return { ok: false, errors };
  const input = values as ReminderSettings;
  const shared = await dtoErrors(UpdateReminderDefaultsRequest, input, RULES);
  return Object.keys(shared).length ? { ok: false, errors: shared } : { ok: true, input };
}

/** An organisation's own values: blank boxes clear theirs, so the default applies. */
export async function parseOverrides(form: SettingsForm): Promise<Parsed<UpdateOrganisationReminderSettingsInput>> {
  const errors: FormErrors = {};
  const input = parseBoxes(form, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  const shared = await dtoErrors(UpdateOrganisationReminderSettingsRequest, input, RULES);
  return Object.keys(shared).length ? { ok: false, errors: shared } : { ok: true, input };
}

/** The settings' errors, then the organisation picker's (on the defaults page, below the form). */
export const settingsErrorSummary = (errors: FormErrors) => errorSummary(errors, [...SETTINGS, 'organisation']);
