export const ROLES = ['admin', 'performance_manager', 'senior_manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may do, by capability. Every API route and web page names exactly one capability; the guard
 * refuses the rest before any handler runs. Which records a role may touch is decided by its scope (see
 * access-policy.ts), and a record outside scope is "not found".
 */
export const CAPABILITIES = {
  'organisations:read': ['admin', 'performance_manager', 'senior_manager', 'viewer'],
  'organisations:write': ['admin'],
  'users:read': ['admin', 'performance_manager', 'senior_manager', 'viewer'],
  'users:write': ['admin'],
  'inspections:read': ['admin', 'performance_manager', 'senior_manager', 'viewer'],
  'inspections:write': ['admin', 'performance_manager'],
  'recommendations:read': ['admin', 'performance_manager', 'senior_manager', 'viewer'],
  'recommendations:write': ['admin', 'performance_manager'],
  /** Respond to a recommendation (senior managers) or edit it (admins, performance managers). */
  'recommendations:update': ['admin', 'performance_manager', 'senior_manager'],
  'actions:read': ['admin', 'performance_manager', 'senior_manager', 'viewer'],
  'actions:create': ['admin', 'senior_manager'],
  /** Field rules by role apply inside: performance managers may only verify, reopen and comment. */
  'actions:update': ['admin', 'performance_manager', 'senior_manager'],
  /** The delivery log of reminders and escalations, for the organisations one oversees. */
  'notifications:read': ['admin', 'performance_manager'],
  'settings:read': ['admin', 'performance_manager'],
  'settings:write': ['admin'],
  /** Progress roll-ups and their trend, for the organisations one sees. */
  'rollups:read': ['admin', 'performance_manager', 'senior_manager', 'viewer'],
  /** Named "as at" snapshots: everyone reads them within their scope; those who report on a portfolio take them. */
  'snapshots:read': ['admin', 'performance_manager', 'senior_manager', 'viewer'],
  'snapshots:create': ['admin', 'performance_manager'],
  /**
   * Hand-overs after a restructuring: everyone reads those that concern what they see; admins and performance
   * managers (for their portfolio) perform them.
   */
  'handovers:read': ['admin', 'performance_manager', 'senior_manager', 'viewer'],
  'handovers:write': ['admin', 'performance_manager'],
  /** Run background work now (e.g. the reminder run as of a given time). */
  'jobs:run': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function roleHas(role: Role, capability: Capability): boolean {
  return (CAPABILITIES[capability] as readonly Role[]).includes(role);
}
