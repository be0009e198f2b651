import { Catalog } from '@pingtree/catalog';
import { channelConfigSchema, type Channel, type PingLead } from '@pingtree/contracts';
import { channelExclusion, leadExclusion, type LeadFacts } from './eligibility';

const BUYER_A = '00000000-0000-4000-8000-00000000000a';
const BUYER_B = '00000000-0000-4000-8000-00000000000b';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function channel(n: number, buyerId: string, extra: Record<string, unknown> = {}): Channel {
  const post = { url: 'http://127.0.0.1:1/post', response: { accept: { path: 'ok', values: ['true'] } } };
  return { ...channelConfigSchema.parse({ name: `c${n}`, buyerId, ping: null, fixedPrice: 5, post, ...extra }), id: id(n) };
}

const LEAD: PingLead = {
  leadId: id(99),
  vertical: 'solar',
  state: 'CA',
  zip: '94105',
  age: 40,
  consentGiven: true,
  hasTrustedForm: false,
  hasJornaya: false,
  fields: {},
};

const catalog = new Catalog({
  campaigns: [],
  suppliers: [],
  trees: [],
  buyers: [
    { id: BUYER_A, name: 'a', displayName: 'A', enabled: true },
    { id: BUYER_B, name: 'b', displayName: 'B', enabled: false },
  ],
  channels: [
    channel(1, BUYER_A),
    channel(2, BUYER_A, { enabled: false }),
    channel(3, BUYER_B),
    channel(4, BUYER_A, { schedule: { timezone: 'UTC', weekly: {} }, filters: [{ op: 'exists', field: 'city' }] }),
    channel(5, BUYER_A, { filters: [{ op: 'exists', field: 'city' }] }),
  ],
});

const facts = (patch: Partial<LeadFacts> = {}): LeadFacts => ({
  lead: LEAD,
  catalog,
  campaignRules: [],
  supplierRules: [],
  suppressions: [],
  recentBuyers: new Map(),
  dedupeDays: 0,
  at: new Date('2025-01-15T12:00:00Z'),
  ...patch,
});

const reasons = (f: LeadFacts) => {
  const whole = leadExclusion(f);
  return [1, 2, 3, 4, 5, 6].map((n) => channelExclusion(id(n), f, whole)?.reason ?? 'eligible');
};

describe('eligibility', () => {
  it('gives each channel its first reason, cheapest checks first', () => {
    expect(reasons(facts())).toEqual([
      'eligible',
      'channel_disabled',
      'buyer_disabled',
      'schedule',
      'filter_rule',
      'not_in_tree',
    ]);
  });

  it('campaign rules come before supplier rules, and both exclude every known channel', () => {
    const f = facts({ campaignRules: [{ op: 'age', min: 50 }], supplierRules: [{ op: 'exists', field: 'city' }] });
    expect(reasons(f)).toEqual([
      'campaign_rule',
      'campaign_rule',
      'campaign_rule',
      'campaign_rule',
      'campaign_rule',
      'not_in_tree',
    ]);
    expect(reasons(facts({ supplierRules: [{ op: 'exists', field: 'city' }] }))[0]).toBe('supplier_rule');
  });

  it('global and campaign lists exclude everyone; a buyer list only that buyer', () => {
    const hit = { listId: id(50), name: 'dnc', kind: 'do_not_call', buyerId: null };
    expect(reasons(facts({ suppressions: [{ ...hit, scope: 'global' }] })).slice(0, 5)).toEqual(Array(5).fill('suppressed'));
    expect(reasons(facts({ suppressions: [{ ...hit, scope: 'campaign' }] }))[2]).toBe('suppressed');
    const buyerList = facts({ suppressions: [{ ...hit, scope: 'buyer', buyerId: BUYER_B }] });
    expect(reasons(buyerList)[0]).toBe('eligible');
    expect(reasons(facts({ suppressions: [{ ...hit, scope: 'buyer', buyerId: BUYER_A }] }))[0]).toBe('suppressed');
  });

  it('excludes a buyer that bought this consumer inside the window', () => {
    const f = facts({ recentBuyers: new Map([[BUYER_A, new Date('2025-01-10T00:00:00Z')]]), dedupeDays: 30 });
    expect(channelExclusion(id(1), f, null)).toEqual({
      channelId: id(1),
      reason: 'buyer_dedupe',
      detail: 'buyer bought this consumer at 2025-01-10T00:00:00.000Z, within 30 days',
    });
  });
});
