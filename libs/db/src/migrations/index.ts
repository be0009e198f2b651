import { InitialSchema1763769600000 } from './1763769600000-initial-schema';

/** Every migration, oldest first. The schema changes only through these. */
export const MIGRATIONS = [InitialSchema1763769600000];
