import { InitialSchema1764370000000 } from './1764370000000-initial-schema';
import { Reminders1764400000000 } from './1764400000000-reminders';
import { Rollups1764500000000 } from './1764500000000-rollups';
import { WeeklyDigest1764600000000 } from './1764600000000-weekly-digest';
import { Handovers1764800000000 } from './1764800000000-handovers';
import { TimeOrderedDeliveryIds1764900000000 } from './1764900000000-time-ordered-delivery-ids';
import { AssignmentEmailAssigner1765000000000 } from './1765000000000-assignment-email-assigner';
import { AscendingNotificationIndexes1765100000000 } from './1765100000000-ascending-notification-indexes';

/** Every migration, oldest first. A new migration file must be added here (a unit test checks). */
export const MIGRATIONS = [
  InitialSchema1764370000000,
  Reminders1764400000000,
  Rollups1764500000000,
  WeeklyDigest1764600000000,
  Handovers1764800000000,
  TimeOrderedDeliveryIds1764900000000,
  AssignmentEmailAssigner1765000000000,
  AscendingNotificationIndexes1765100000000,
];
