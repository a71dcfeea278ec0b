/** Collects positional parameters for hand-written SQL: `where.push(\`a = ${p.add(x)}\`)`. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Postgres returns `date` columns as strings (see the type parser set at boot); timestamps as Date. */
export function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** TypeORM answers UPDATE/DELETE … RETURNING with `[rows, rowCount]` and everything else with rows. */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
