import { z } from 'zod';

/** A lead's lifecycle. Terminal states never change again. */
export const LEAD_STATES = [
  'received',
  'pinging',
  'offered',
  'posting',
  'awaiting_callback',
  'sold',
  'unsold',
  'rejected',
  'duplicate',
  'expired',
  'needs_reconciliation',
] as const;
export const leadStateSchema = z.enum(LEAD_STATES);
export type LeadState = z.infer<typeof leadStateSchema>;

export const TERMINAL_LEAD_STATES: readonly LeadState[] = [
  'sold',
  'unsold',
  'rejected',
  'duplicate',
  'expired',
  'needs_reconciliation',
];

/** Which state may follow which; anything else is a bug and is refused. */
export const LEAD_TRANSITIONS: Record<LeadState, readonly LeadState[]> = {
  received: ['pinging', 'rejected', 'duplicate', 'unsold', 'expired'],
  pinging: ['offered', 'posting', 'unsold', 'expired', 'needs_reconciliation'],
  offered: ['posting', 'unsold', 'expired'],
  posting: ['pinging', 'awaiting_callback', 'sold', 'unsold', 'expired', 'needs_reconciliation'],
  awaiting_callback: ['sold', 'unsold', 'needs_reconciliation'],
  sold: [],
  unsold: [],
  rejected: [],
  duplicate: [],
  expired: [],
  needs_reconciliation: ['sold', 'unsold'],
};
