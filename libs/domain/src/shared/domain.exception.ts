export interface FieldError {
  field: string;
  message: string;
}

/**
 * What went wrong, in the domain's words. Each transport maps the code to its own answer (problem+json for
 * the API, an error summary for web pages); the domain never speaks HTTP.
 */
export type DomainErrorCode =
  | 'unauthenticated'
  | 'malformed'
  | 'forbidden'
  | 'not_found'
  | 'invalid'
  | 'rule_violated'
  | 'conflict'
  | 'stale'
  | 'precondition_required';

export class DomainException extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    /** A stable name for the business rule that refused the change, e.g. `due-date-change-needs-reason`. */
    readonly rule?: string,
  ) {
    super(message);
    this.name = 'DomainException';
  }

  static notFound(what: string): DomainException {
    return new DomainException('not_found', `${what} not found`);
  }

  /** Input the caller could not have got from us, e.g. a tampered cursor: a 400, like any malformed field. */
  static malformed(field: string, message: string): DomainException {
    return new DomainException('malformed', message, [{ field, message }]);
  }

  static invalid(field: string, message: string): DomainException {
    return new DomainException('invalid', message, [{ field, message }]);
  }

  static invalidFields(errors: FieldError[]): DomainException {
    return new DomainException('invalid', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  static rule(rule: string, field: string, message: string): DomainException {
    return new DomainException('rule_violated', message, [{ field, message }], rule);
  }

  static forbidden(message: string): DomainException {
    return new DomainException('forbidden', message);
  }

  static stale(what: string): DomainException {
    return new DomainException(
      'stale',
      `${what} has changed since you read it: read it again, then reapply your change`,
    );
  }
}
