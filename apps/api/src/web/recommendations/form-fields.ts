import { DomainException } from '@rt/domain';

/** A page id from the path: a UUID (lower case), or undefined for anything else (the page answers 404). */
export function uuidOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
    ? value.toLowerCase()
    : undefined;
}

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/**
 * A domain service's refusal of a form's change, said on the form: field errors (rules, invalid values) as a 400,
 * a forbidden change as a 403 with the service's reason. Anything else (not found, stale, faults) is not a form
 * error: null.
 */
export function formRefusal(error: unknown): { status: number; errors: Record<string, string> } | null {
  if (!(error instanceof DomainException)) return null;
  if (error.code === 'rule_violated' || error.code === 'invalid' || error.code === 'malformed') {
    const errors: Record<string, string> = {};
    for (const e of error.errors) errors[e.field] ??= sentence(e.message);
    return { status: 400, errors: Object.keys(errors).length ? errors : { form: sentence(error.message) } };
  }
  if (error.code === 'forbidden') return { status: 403, errors: { form: sentence(error.message) } };
  return null;
}
