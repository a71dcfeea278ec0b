import { OrganisationReminderSettingsView, ReminderDefaultsView } from '@rt/domain';
import {
  formFromDefaults,
  formFromOrganisation,
  parseDefaults,
  parseOverrides,
  readSettingsForm,
} from './settings.form';

const defaults = (fields: Record<string, string>) =>
  readSettingsForm({
    version: '1',
    offsetsDays: '14, 3',
    overdueRepeatDays: '7',
    escalationAfterDays: '14',
    escalationRepeatDays: '7',
    sendTime: '07:00',
    ...fields,
  });
const errorsOf = async (fields: Record<string, string>) => {
  const parsed = await parseDefaults(defaults(fields));
  return parsed.ok ? {} : parsed.errors;
};

describe('the reminder settings form', () => {
  it('reads the defaults', async () => {
    expect(await parseDefaults(defaults({ offsetsDays: '3 14,1', sendTime: '7:30' }))).toEqual({
      ok: true,
      input: {
        offsetsDays: [3, 14, 1],
        overdueRepeatDays: 7,
        escalationAfterDays: 14,
        escalationRepeatDays: 7,
        sendTime: '07:30',
      },
    });
  });

  it.each([
    [{ offsetsDays: '' }, 'offsetsDays', 'Enter the days before the due date when owners are reminded'],
    [
      { offsetsDays: '14, three' },
      'offsetsDays',
      'Enter days before the due date as whole numbers separated by commas, like 14, 3',
    ],
    [
      { offsetsDays: '14, 2.5' },
      'offsetsDays',
      'Enter days before the due date as whole numbers separated by commas, like 14, 3',
    ],
    [{ offsetsDays: '14, 3, 14' }, 'offsetsDays', 'Enter each day before the due date only once'],
    [
      { overdueRepeatDays: 'weekly' },
      'overdueRepeatDays',
      'Enter how often overdue reminders repeat as a whole number of days',
    ],
    [{ escalationAfterDays: '' }, 'escalationAfterDays', 'Enter how many days overdue before escalating'],
    [{ sendTime: '7am' }, 'sendTime', 'Enter the send time as a 24-hour time from 00:00 to 23:59, like 07:00'],
  ])('refuses %j on %s', async (fields, field, message) => {
    expect(await errorsOf(fields)).toEqual({ [field]: message });
  });

  // The limits in the messages are the API's (reminder-settings.dto.ts): these fail if either moves.
  it.each([
    ['offsetsDays', '90, 1', '91'],
    ['offsetsDays', '1, 2, 3, 4, 5, 6, 7, 8, 9, 10', '1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11'],
    ['offsetsDays', '1', '0'],
    ['overdueRepeatDays', '90', '91'],
    ['overdueRepeatDays', '1', '0'],
    ['escalationAfterDays', '365', '366'],
    ['escalationRepeatDays', '365', '366'],
    ['escalationRepeatDays', '1', '0'],
    ['sendTime', '23:59', '24:00'],
  ])('%s: accepts %s, refuses %s as the API does', async (field, good, bad) => {
    expect(await errorsOf({ [field]: good })).toEqual({});
    expect(Object.keys(await errorsOf({ [field]: bad }))).toEqual([field]);
  });

  it('reads an organisation’s own values, a blank box clearing one', async () => {
    const form = readSettingsForm({ version: '0', offsetsDays: '21', sendTime: '06:00' });
    expect(await parseOverrides(form)).toEqual({
      ok: true,
      input: {
        offsetsDays: [21],
        overdueRepeatDays: null,
        escalationAfterDays: null,
        escalationRepeatDays: null,
        sendTime: '06:00',
      },
    });
    const bad = await parseOverrides(readSettingsForm({ version: '0', escalationAfterDays: '400' }));
    expect(bad.ok ? {} : bad.errors).toEqual({
      escalationAfterDays: 'Escalation must start 1 to 365 days after the due date',
    });
  });

  it('fills the forms from the settings', () => {
    const d = {
      offsetsDays: [14, 3],
      overdueRepeatDays: 7,
      escalationAfterDays: 14,
      escalationRepeatDays: 7,
      sendTime: '07:00',
      version: 3,
    };
    expect(formFromDefaults(d as ReminderDefaultsView)).toEqual({
      version: '3',
      offsetsDays: '14, 3',
      overdueRepeatDays: '7',
      escalationAfterDays: '14',
      escalationRepeatDays: '7',
      sendTime: '07:00',
    });
    const own = {
      version: 0,
      overrides: {
        offsetsDays: null,
        overdueRepeatDays: 3,
        escalationAfterDays: null,
        escalationRepeatDays: null,
        sendTime: null,
      },
    };
    expect(formFromOrganisation(own as OrganisationReminderSettingsView)).toEqual({
      version: '0',
      offsetsDays: '',
      overdueRepeatDays: '3',
      escalationAfterDays: '',
      escalationRepeatDays: '',
      sendTime: '',
    });
  });
});
