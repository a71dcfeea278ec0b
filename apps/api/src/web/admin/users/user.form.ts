import {
  CreateUserInput,
  REMINDER_DELIVERIES,
  ReminderDelivery,
  Role,
  ROLES,
  UpdateUserInput,
  UserView,
} from '@rt/domain';
import { CreateUserRequest, UpdateUserRequest } from '../../../rest/users/user.dto';
import { checkText, dtoErrors, FormErrors } from '../admin-form';
import { errorSummary } from '../../error-summary';
import { readFields } from '../../web-forms';

const FIELDS = [
  'version',
  'email',
  'name',
  'role',
  'organisationId',
  'password',
  'accountableLead',
  'reminderDelivery',
] as const;
export type UserForm = Record<(typeof FIELDS)[number], string>;

const ORDER = ['email', 'name', 'role', 'organisationId', 'password', 'accountableLead', 'reminderDelivery', 'active'];

/** The rules of a password are the API's (CreateUserRequest): at least 12 characters, at most 200. */
export const PASSWORD_MIN = 12;
const PASSWORD_MAX = 200;

const SHARED_MESSAGES = {
  email: 'Enter an email address in the correct format, like name@example.org',
  name: 'Enter a name of 200 characters or fewer',
  password: `Enter a password of at least ${PASSWORD_MIN} characters`,
  organisationId: 'Select an organisation from the list',
};

export const readUserForm = (body: unknown): UserForm => readFields(body, FIELDS);

export function formFromUser(user: UserView): UserForm {
  return {
    version: String(user.version),
    email: user.email,
    name: user.name,
    role: user.role,
    organisationId: user.organisationId ?? '',
    password: '',
    accountableLead: user.accountableLead ? 'yes' : '',
    reminderDelivery: user.reminderDelivery,
  };
}

export type Parsed<T> = { ok: true; input: T } | { ok: false; errors: FormErrors };

/** What both forms share: email, name, role, organisation, accountable lead. */
function parseCommon(form: UserForm, organisations: Set<string>, errors: FormErrors) {
  const email = form.email.trim();
  if (!email) errors.email = 'Enter an email address';
  else if (email.length > 320) errors.email = 'Email address must be 320 characters or fewer';
  const name = checkText(errors, 'name', form.name, { label: 'Name', max: 200, empty: 'Enter their name' });
  if (!(ROLES as readonly string[]).includes(form.role)) errors.role = 'Select a role';
  if (form.organisationId && !organisations.has(form.organisationId)) {
    errors.organisationId = SHARED_MESSAGES.organisationId;
  }
  if (!['', 'yes'].includes(form.accountableLead))
    errors.accountableLead = 'Choose whether they are the accountable lead';
  return {
    email,
    name: name ?? '',
    role: form.role as Role,
    organisationId: form.organisationId || null,
    accountableLead: form.accountableLead === 'yes',
  };
}

/** The "Add a user" form. Which roles need an organisation, and who may lead, are the service's rules. */
export async function parseNewUser(form: UserForm, organisations: Set<string>): Promise<Parsed<CreateUserInput>> {
  const errors: FormErrors = {};
  const common = parseCommon(form, organisations, errors);
  if (!form.password) errors.password = 'Enter an initial password';
  else if (form.password.length < PASSWORD_MIN) {
    errors.password = `Password must be ${PASSWORD_MIN} characters or more`;
  } else if (form.password.length > PASSWORD_MAX) {
    errors.password = `Password must be ${PASSWORD_MAX} characters or fewer`;
  }
  const input: CreateUserInput = { ...common, password: form.password };
  return finish(errors, CreateUserRequest, input);
}

/** The "Change user" form: the whole record but the password and whether the user is active. */
export async function parseUserChange(form: UserForm, organisations: Set<string>): Promise<Parsed<UpdateUserInput>> {
  const errors: FormErrors = {};
  const common = parseCommon(form, organisations, errors);
  if (!(REMINDER_DELIVERIES as readonly string[]).includes(form.reminderDelivery)) {
    errors.reminderDelivery = 'Select when they get their reminders';
  }
  const input: UpdateUserInput = { ...common, reminderDelivery: form.reminderDelivery as ReminderDelivery };
  return finish(errors, UpdateUserRequest, input);
}

async function finish<T extends object>(errors: FormErrors, dto: new () => object, input: T): Promise<Parsed<T>> {
  if (Object.keys(errors).length) return { ok: false, errors };
  const shared = await dtoErrors(dto, input, SHARED_MESSAGES);
  return Object.keys(shared).length ? { ok: false, errors: shared } : { ok: true, input };
}

/** The service names its fields as the form does. */
export const userErrorSummary = (errors: FormErrors) => errorSummary(errors, ORDER);
