/** Shapes the admin API answers with (the console's own copy: it is built apart from the server code). */

export const LEAD_STATES = [
  'received',
  'pinging',
  'offered',
  'posting',
  'sold',
  'unsold',
  'rejected',
  'duplicate',
  'expired',
  'needs_reconciliation',
] as const;

export const LOGICS = ['waterfall', 'auction', 'shared', 'choice'] as const;
export const WATERFALL_ORDERS = ['priority', 'expected_value', 'round_robin', 'weighted'] as const;

export interface Named {
  id: string;
  name: string;
}

export interface Buyer extends Named {
  displayName: string;
  enabled: boolean;
}

export interface Channel extends Named {
  buyerId: string;
  enabled: boolean;
  pingTimeoutMs: number;
  postTimeoutMs: number;
  priority: number;
  caps: Array<{ period: string; count?: number; spend?: number }>;
  filters: unknown[];
  schedule?: unknown;
  [key: string]: unknown;
}

export interface Tier {
  name: string;
  logic: (typeof LOGICS)[number];
  channelIds: string[];
  pingMode: 'parallel' | 'sequential';
  order: (typeof WATERFALL_ORDERS)[number];
  maxSales: number;
  stopOnSale: boolean;
  priceFloor: number;
  pricing: 'first_price' | 'second_price';
  offerTtlSeconds: number;
}

export interface Tree extends Named {
  tiers: Tier[];
}

export interface Campaign extends Named {
  key: string;
  treeId: string;
  tmaxMs: number;
  postReserveMs: number;
  [key: string]: unknown;
}

export interface Supplier extends Named {
  enabled: boolean;
}

export interface LeadSummary {
  id: string;
  receivedAt: string;
  state: string;
  campaign: { id: string; key: string | null; name: string | null };
  supplier: { id: string; name: string | null };
  supplierLeadId: string | null;
  traceId: string | null;
  ms: number | null;
  reason: string | null;
  sales: Array<{ buyer: string; channelId: string; price: number }>;
}

export interface TrailEvent {
  id: string;
  type: string;
  service: string;
  at: number;
  msSinceReceived: number;
  tierIndex: number | null;
  channelId: string | null;
  data: Record<string, unknown>;
}

export interface LeadDetail {
  lead: {
    id: string;
    state: string;
    campaignId: string;
    supplierLeadId: string | null;
    receivedAt: string;
    deadlineAt: string;
    traceId: string | null;
    decision: {
      state: string;
      ms: number;
      buyerMs?: number;
      reason?: string;
      sales?: Array<{ buyer: string; channelId: string; price: number; payout: number }>;
    } | null;
    lifecycle: Array<{ state: string; at: string }>;
  };
  trail: TrailEvent[] | { unavailable: string; message: string };
}

export interface ConfigChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface ConfigVersion {
  version: number;
  author: string;
  note: string | null;
  createdAt: string;
  config: Record<string, unknown>;
  diff: ConfigChange[];
}

export interface ReportRow {
  bucket: string;
  key: string;
  name: string;
  leads: number;
  sold: number;
  pings: number;
  pingAccepts: number;
  posts: number;
  postAccepts: number;
  averageBid: number | null;
  revenue: number;
  pingP50Ms: number | null;
  pingP95Ms: number | null;
}

export interface LiveLead {
  leadId: string;
  at: number;
  state: string;
  ms: number | null;
  reason: string | null;
  price: number;
  buyers: string[];
}
