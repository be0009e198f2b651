import { InitialSchema1763769600000 } from './1763769600000-initial-schema';
import { OffersFloorsRoundRobin1763856000000 } from './1763856000000-offers-floors-round-robin';
import { ChannelCircuits1763938800000 } from './1763938800000-channel-circuits';

/** Every migration, oldest first. The schema changes only through these. */
export const MIGRATIONS = [InitialSchema1763769600000, OffersFloorsRoundRobin1763856000000, ChannelCircuits1763938800000];
