export const NOTIFICATION_KINDS = ['reminder', 'escalation', 'assignment'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATUSES = ['queued', 'sent', 'failed', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export type NotificationReason = 'before' | 'due' | 'overdue' | 'escalation' | 'assigned';

/** One line of the delivery log: one reminder about one action to one person. */
export interface NotificationView {
  id: string;
  key: string;
  kind: NotificationKind;
  reason: NotificationReason;
  occurrence: number;
  actionId: string;
  organisationId: string;
  recipientId: string;
  recipientEmail: string;
  dueDate: string;
  triggerDate: string;
  deliverOn: string;
  status: NotificationStatus;
  skipReason: string | null;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface NotificationFilter {
  recipientId?: string;
  actionId?: string;
  kind?: NotificationKind;
  status?: NotificationStatus;
  /** Created on or after / before (exclusive) these instants. */
  from?: string;
  to?: string;
}

/** Why this person gets this item, in words for the email. */
export interface EmailItem {
  notificationId: string;
  kind: NotificationKind;
  reason: NotificationReason;
  occurrence: number;
  actionId: string;
  actionTitle: string;
  recommendationReference: string;
  organisationName: string;
  dueDate: string;
  daysOverdue: number;
  /** For escalations: the recipient's connection to the organisation. */
  recipientRole: 'owner' | 'accountable_lead' | 'performance_manager';
  /** For assignments: the name of who made the recipient the owner, when known. */
  assignedBy: string | null;
}

/** An email ready to render: one recipient, the items still worth telling them about. */
export interface EmailToSend {
  emailKey: string;
  recipient: { id: string; name: string; email: string };
  today: string;
  items: EmailItem[];
}
