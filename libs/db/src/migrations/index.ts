import { InitialSchema1763769600000 } from './1763769600000-initial-schema';
import { OffersFloorsRoundRobin1763856000000 } from './1763856000000-offers-floors-round-robin';
import { ChannelCircuits1763938800000 } from './1763938800000-channel-circuits';
import { ChannelCaps1763949600000 } from './1763949600000-channel-caps';
import { SuppressionBuyerDedupe1763953200000 } from './1763953200000-suppression-buyer-dedupe';
import { LeadLifecycle1763960400000 } from './1763960400000-lead-lifecycle';
import { LeadReturns1763964000000 } from './1763964000000-lead-returns';
import { IntakeKeys1763967600000 } from './1763967600000-intake-keys';
import { SecurityHardening1763971200000 } from './1763971200000-security-hardening';
import { PostCallbacks1763974800000 } from './1763974800000-post-callbacks';
import { ConfigVersions1763978400000 } from './1763978400000-config-versions';
import { LeadEventsLeanIndexes1763982000000 } from './1763982000000-lead-events-lean-indexes';
import { HotLeadDecisions1763985600000 } from './1763985600000-hot-lead-decisions';

/** Every migration, oldest first. The schema changes only through these. */
export const MIGRATIONS = [
  InitialSchema1763769600000,
  OffersFloorsRoundRobin1763856000000,
  ChannelCircuits1763938800000,
  ChannelCaps1763949600000,
  SuppressionBuyerDedupe1763953200000,
  LeadLifecycle1763960400000,
  LeadReturns1763964000000,
  IntakeKeys1763967600000,
  SecurityHardening1763971200000,
  PostCallbacks1763974800000,
  ConfigVersions1763978400000,
  LeadEventsLeanIndexes1763982000000,
  HotLeadDecisions1763985600000,
];
