import { UserView } from '@rt/domain';
import { formFromUser, parseNewUser, parseUserChange, readUserForm, userErrorSummary } from './user.form';

const KENT = '3f1f8a5e-0c36-4d51-9a63-9d6c1f2b7a01';
const organisations = new Set([KENT]);
const newUser = (fields: Record<string, string>) =>
  readUserForm({
    email: 'head.public.protection@kent.example.org',
    name: 'Head of Public Protection',
    role: 'senior_manager',
    organisationId: KENT,
    password: 'a long enough password',
    ...fields,
  });

describe('the user forms', () => {
  it('adds a user with the fields the service takes', async () => {
    expect(await parseNewUser(newUser({ accountableLead: 'yes', email: ' x@example.org ' }), organisations)).toEqual({
      ok: true,
      input: {
        email: 'x@example.org',
        name: 'Head of Public Protection',
        role: 'senior_manager',
        organisationId: KENT,
        password: 'a long enough password',
        accountableLead: true,
      },
    });
    expect(await parseNewUser(newUser({ role: 'admin', organisationId: '' }), organisations)).toMatchObject({
      ok: true,
      input: { organisationId: null, accountableLead: false },
    });
  });

  it.each([
    [{ email: '' }, 'email', 'Enter an email address'],
    [{ email: 'not an email' }, 'email', 'Enter an email address in the correct format, like name@example.org'],
    [{ name: '  ' }, 'name', 'Enter their name'],
    [{ role: 'superuser' }, 'role', 'Select a role'],
    [{ organisationId: 'elsewhere' }, 'organisationId', 'Select an organisation from the list'],
    [{ password: '' }, 'password', 'Enter an initial password'],
    [{ password: 'short' }, 'password', 'Password must be 12 characters or more'],
    [{ accountableLead: 'maybe' }, 'accountableLead', 'Choose whether they are the accountable lead'],
  ])('refuses %j on %s', async (fields, field, message) => {
    const parsed = await parseNewUser(newUser(fields), organisations);
    expect(parsed.ok ? {} : parsed.errors).toEqual({ [field]: message });
  });

  it('changes a user without a password, with their reminder delivery', async () => {
    const user = {
      email: 'a@example.org',
      name: 'A',
      role: 'senior_manager',
      organisationId: KENT,
      accountableLead: true,
      reminderDelivery: 'weekly',
      version: 2,
    } as UserView;
    const form = formFromUser(user);
    expect(form).toMatchObject({ version: '2', accountableLead: 'yes', reminderDelivery: 'weekly', password: '' });
    expect(await parseUserChange(form, organisations)).toEqual({
      ok: true,
      input: {
        email: 'a@example.org',
        name: 'A',
        role: 'senior_manager',
        organisationId: KENT,
        accountableLead: true,
        reminderDelivery: 'weekly',
      },
    });
    const bad = await parseUserChange({ ...form, reminderDelivery: 'hourly' }, organisations);
    expect(bad.ok ? {} : bad.errors).toEqual({ reminderDelivery: 'Select when they get their reminders' });
  });

  it('links errors in form order', () => {
    expect(userErrorSummary({ password: 'p', email: 'e', active: 'a' }).map((e) => e.href)).toEqual([
      '#email',
      '#password',
      '#active',
    ]);
  });
});
