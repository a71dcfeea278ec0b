import { REMINDER_DELIVERIES, Role, UpdateOwnPreferencesInput, UserView } from '@rt/domain';
import { errorSummary } from '../error-summary';

/** The "Your preferences" form as posted (every value a string; absent fields are ''). */
export interface PreferencesForm {
  version: string;
  reminderDelivery: string;
  weeklyDigest: string;
}

const FIELDS: (keyof PreferencesForm)[] = ['version', 'reminderDelivery', 'weeklyDigest'];

/** Only performance managers get the weekly digest (DigestService picks them), so only they are asked about it. */
export const takesDigest = (role: Role): boolean => role === 'performance_manager';

export function readPreferencesForm(body: unknown): PreferencesForm {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const form = {} as PreferencesForm;
  for (const field of FIELDS) {
    const value = source[field];
    form[field] = typeof value === 'string' ? value : '';
  }
  return form;
}

/** The form as the page first shows it: the user's current choices. */
export function formFromUser(user: UserView): PreferencesForm {
  return {
    version: String(user.version),
    reminderDelivery: user.reminderDelivery,
    weeklyDigest: user.weeklyDigest ? 'yes' : 'no',
  };
}

export type ParsedPreferences =
  { ok: true; version: number; input: UpdateOwnPreferencesInput } | { ok: false; errors: Record<string, string> };

/**
 * Checks the choices and turns them into the domain's update. The digest answer is read only from those who are
 * asked it: anyone else's is ignored, never saved.
 */
export function parsePreferences(form: PreferencesForm, role: Role): ParsedPreferences {
  const errors: Record<string, string> = {};
  if (!(REMINDER_DELIVERIES as readonly string[]).includes(form.reminderDelivery)) {
    errors.reminderDelivery = 'Select how you want to get reminders';
  }
  const digest = takesDigest(role);
  if (digest && form.weeklyDigest !== 'yes' && form.weeklyDigest !== 'no') {
    errors.weeklyDigest = 'Select whether you want the weekly digest';
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  const input: UpdateOwnPreferencesInput = {
    reminderDelivery: form.reminderDelivery as UpdateOwnPreferencesInput['reminderDelivery'],
  };
  if (digest) input.weeklyDigest = form.weeklyDigest === 'yes';
  return { ok: true, version: Number(form.version), input };
}

export const preferencesErrorSummary = (errors: Record<string, string>) =>
  errorSummary(errors, ['reminderDelivery', 'weeklyDigest']);
