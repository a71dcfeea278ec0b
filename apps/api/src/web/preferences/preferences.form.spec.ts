import { UserView } from '@rt/domain';
import { formFromUser, parsePreferences, preferencesErrorSummary, readPreferencesForm } from './preferences.form';

const user = { reminderDelivery: 'immediate', weeklyDigest: true, version: 4 } as UserView;
const form = (fields: Record<string, unknown>) => readPreferencesForm({ ...formFromUser(user), ...fields });

describe('the "Your preferences" form', () => {
  it('starts from the user’s current choices', () => {
    expect(formFromUser(user)).toEqual({ version: '4', reminderDelivery: 'immediate', weeklyDigest: 'yes' });
    expect(formFromUser({ ...user, weeklyDigest: false }).weeklyDigest).toBe('no');
  });

  it('sends a performance manager’s reminder and digest choices to the domain', () => {
    expect(parsePreferences(form({ reminderDelivery: 'weekly', weeklyDigest: 'no' }), 'performance_manager')).toEqual({
      ok: true,
      version: 4,
      input: { reminderDelivery: 'weekly', weeklyDigest: false },
    });
  });

  it.each(['senior_manager', 'viewer', 'admin'] as const)(
    'leaves the digest alone for a %s, who is not asked about it',
    (role) => {
      expect(parsePreferences(form({ weeklyDigest: 'no' }), role)).toEqual({
        ok: true,
        version: 4,
        input: { reminderDelivery: 'immediate' },
      });
      expect(parsePreferences(form({ weeklyDigest: 'nonsense' }), role).ok).toBe(true);
    },
  );

  it.each([
    [{ reminderDelivery: 'daily' }, 'reminderDelivery'],
    [{ reminderDelivery: '' }, 'reminderDelivery'],
    [{ reminderDelivery: ['immediate', 'weekly'] }, 'reminderDelivery'],
    [{ weeklyDigest: 'maybe' }, 'weeklyDigest'],
    [{ weeklyDigest: '' }, 'weeklyDigest'],
  ])('refuses %j naming %s', (fields, field) => {
    const parsed = parsePreferences(form(fields), 'performance_manager');
    expect(parsed.ok).toBe(false);
    expect(Object.keys(parsed.ok ? {} : parsed.errors)).toEqual([field]);
  });

  it('links each error to its field, in the order of the form', () => {
    expect(preferencesErrorSummary({ weeklyDigest: 'w', reminderDelivery: 'r' })).toEqual([
      { href: '#reminderDelivery', text: 'r' },
      { href: '#weeklyDigest', text: 'w' },
    ]);
  });
});
