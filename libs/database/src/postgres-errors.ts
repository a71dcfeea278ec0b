/** What a PostgreSQL error means to the person who sent the request. */
export interface ConstraintProblem {
  status: 400 | 409 | 422;
  title: string;
  detail: string;
  field?: string;
}

const CONSTRAINTS: Record<string, { field: string; detail: string; status?: 409 | 422 }> = {
  users_email_key: { field: 'email', detail: 'A user with this email address already exists.', status: 409 },
  organisations_name_key: { field: 'name', detail: 'An organisation with this name already exists.', status: 409 },
  recommendations_inspection_reference_key: {
    field: 'reference',
    detail: 'This inspection already has a recommendation with this reference.',
    status: 409,
  },
  recommendations_not_accepted_rationale_check: {
    field: 'responseRationale',
    detail: 'A recommendation that is not accepted needs a rationale.',
  },
  organisations_dissolved_on_check: {
    field: 'dissolvedOn',
    detail: 'A dissolved organisation needs a dissolution date, and an active one must not have one.',
  },
  organisation_successors_not_self_check: { field: 'successorIds', detail: 'An organisation cannot succeed itself.' },
  users_accountable_lead_role_check: {
    field: 'accountableLead',
    detail: "Only a senior manager can be their organisation's accountable lead.",
  },
  users_organisation_required_check: {
    field: 'organisationId',
    detail: 'Senior managers and viewers must belong to an organisation.',
  },
};

interface PgError {
  code?: string;
  constraint?: string;
  column?: string;
}

/** Maps constraint violations and malformed values to a 4xx problem; anything else is not ours to explain. */
export function describePostgresError(error: unknown): ConstraintProblem | null {
  const pg = (error as { driverError?: PgError }).driverError ?? (error as PgError);
  if (!pg || typeof pg.code !== 'string') return null;
  const known = pg.constraint ? CONSTRAINTS[pg.constraint] : undefined;
  switch (pg.code) {
    case '23505':
      return {
        status: known?.status ?? 409,
        title: 'Conflict',
        detail: known?.detail ?? 'This would duplicate an existing record.',
        field: known?.field,
      };
    case '23503':
      return {
        status: 422,
        title: 'Unprocessable content',
        detail: known?.detail ?? 'This refers to a record that does not exist.',
        field: known?.field,
      };
    case '23514':
    case '23502':
      return {
        status: known?.status ?? 422,
        title: 'Unprocessable content',
        detail: known?.detail ?? 'This breaks a rule the data must keep.',
        field: known?.field ?? pg.column,
      };
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return { status: 400, title: 'Bad request', detail: 'A value has the wrong format or is out of range.' };
    case '40001':
    case '40P01':
      return { status: 409, title: 'Conflict', detail: 'Another change got in the way; please try again.' };
    default:
      return null;
  }
}
