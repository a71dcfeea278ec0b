import {
  HandoverKind,
  NotificationKind,
  NotificationReason,
  NotificationStatus,
  OrganisationKind,
  OrganisationStatus,
  REGIONS,
  ReminderDelivery,
  Role,
} from '@rt/domain';

/** The words the admin pages use for the domain's keys. */
export const LABELS = {
  kind: {
    probation_trust: 'Probation Trust',
    nps_division: 'National Probation Service division',
    crc: 'Community Rehabilitation Company',
    inspectorate: 'Inspectorate',
    oversight: 'Oversight body',
    other: 'Other',
  } satisfies Record<OrganisationKind, string>,
  region: REGIONS,
  organisationStatus: { active: 'Active', dissolved: 'Dissolved' } satisfies Record<OrganisationStatus, string>,
  role: {
    admin: 'Admin',
    performance_manager: 'Performance manager',
    senior_manager: 'Senior manager',
    viewer: 'Viewer',
  } satisfies Record<Role, string>,
  reminderDelivery: {
    immediate: 'With each day’s reminders',
    weekly: 'Gathered into one email on Mondays',
  } satisfies Record<ReminderDelivery, string>,
  handoverKind: { split: 'Split', merge: 'Merge', rename: 'Rename' } satisfies Record<HandoverKind, string>,
  notificationKind: { reminder: 'Reminder', escalation: 'Escalation', assignment: 'Assignment' } satisfies Record<
    NotificationKind,
    string
  >,
  notificationReason: {
    before: 'Before the due date',
    due: 'On the due date',
    overdue: 'Overdue',
    escalation: 'Well overdue',
    assigned: 'Newly assigned',
  } satisfies Record<NotificationReason, string>,
  notificationStatus: { queued: 'Queued', sent: 'Sent', failed: 'Failed', skipped: 'Skipped' } satisfies Record<
    NotificationStatus,
    string
  >,
  recommendationStatus: {
    not_started: 'Not started',
    in_progress: 'In progress',
    implemented: 'Implemented',
    verified: 'Verified',
    not_accepted: 'Not accepted',
  } as Record<string, string>,
} as const;

/** Options for a GOV.UK select or radios from a label map, marking the chosen value. */
export function optionsOf(labels: Record<string, string>, chosen: string | readonly string[] = '') {
  const picked = ([] as string[]).concat(chosen);
  return Object.entries(labels).map(([value, text]) => ({ value, text, chosen: picked.includes(value) }));
}
