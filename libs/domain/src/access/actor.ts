import { Role } from './roles';

/** The signed-in user on whose behalf the domain acts. */
export interface Actor {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly organisationId: string | null;
  /** Performance managers only: the organisations they oversee. */
  readonly portfolioOrganisationIds: readonly string[];
}

/** The organisations whose records an actor may see: all of them, or a list. */
export type Scope = { readonly all: true } | { readonly all: false; readonly organisationIds: readonly string[] };

export function scopeOf(actor: Actor): Scope {
  switch (actor.role) {
    case 'admin':
      return { all: true };
    case 'performance_manager':
      return { all: false, organisationIds: actor.portfolioOrganisationIds };
    case 'senior_manager':
    case 'viewer':
      return { all: false, organisationIds: actor.organisationId ? [actor.organisationId] : [] };
  }
}

export function inScope(actor: Actor, organisationId: string | null): boolean {
  const scope = scopeOf(actor);
  return scope.all || (organisationId !== null && scope.organisationIds.includes(organisationId));
}

/**
 * The SQL condition restricting `column` to the actor's scope, with its parameter appended via `add`.
 * Every scoped query goes through here.
 */
export function scopeCondition(actor: Actor, column: string, add: (value: unknown) => string): string {
  const scope = scopeOf(actor);
  if (scope.all) return 'TRUE';
  if (scope.organisationIds.length === 0) return 'FALSE';
  if (scope.organisationIds.length === 1) return `${column} = ${add(scope.organisationIds[0])}`;
  return `${column} = ANY(${add(scope.organisationIds)}::uuid[])`;
}
