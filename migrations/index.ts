import { InitialSchema1764370000000 } from './1764370000000-initial-schema';

/** Every migration, oldest first. A new migration file must be added here (a unit test checks). */
export const MIGRATIONS = [InitialSchema1764370000000];
