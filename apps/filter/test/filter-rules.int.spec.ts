import { ageOn } from '@pingtree/contracts';
import { demoLead, startTestStack, type TestStack } from '@pingtree/testing';
import { startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { SupplierRules } from '../src/supplier-rules';
import { sendLead, wire } from './filter-test-kit';

const ALWAYS: [string, string][] = [['00:00', '24:00']];
/** demoLead()'s consumer was born on 1985-04-12. */
const AGE = ageOn('1985-04-12', new Date());
const OPEN_ALL_WEEK = { mon: ALWAYS, tue: ALWAYS, wed: ALWAYS, thu: ALWAYS, fri: ALWAYS, sat: ALWAYS, sun: ALWAYS };

/**
 * Filter rules at channel, campaign and supplier level, source lists and schedules, against the real
 * services: each excluded channel's `excluded` event names the mechanism and the failing rule.
 */
describe('filter rules and schedules (real NATS, PostgreSQL and buyers)', () => {
  let stack: TestStack;
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 7 });
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it('excludes each channel by its own rule or schedule before any ping, and pings the rest', async () => {
    const w = await wire(stack, sim, [
      { key: 'west', filters: [{ op: 'in', field: 'state', values: ['CA', 'NV'] }], priority: 9 },
      { key: 'texas', filters: [{ op: 'equals', field: 'state', value: 'TX', name: 'Texas only' }] },
      {
        key: 'young-or-ny',
        filters: [
          { op: 'exists', field: 'city' },
          {
            op: 'any',
            rules: [
              { op: 'age', max: 30 },
              { op: 'all', rules: [{ op: 'equals', field: 'state', value: 'NY' }] },
            ],
          },
        ],
      },
      { key: 'no-google', filters: [{ op: 'deny_list', field: 'source', values: ['GOOGLE'] }] },
      { key: 'bing-only', filters: [{ op: 'allow_list', field: 'source', values: ['bing'] }] },
      { key: 'sub-ok', filters: [{ op: 'not', rule: { op: 'deny_list', field: 'subId', values: ['spring-sale'] } }] },
      {
        key: 'zip-941',
        filters: [
          { op: 'starts_with', field: 'zip', values: ['941'] },
          { op: 'regex', field: 'city', pattern: '^san ', flags: 'i' },
        ],
      },
      { key: 'closed', schedule: { timezone: 'America/New_York', weekly: {} } },
      { key: 'open', schedule: { timezone: 'Pacific/Honolulu', weekly: OPEN_ALL_WEEK } },
    ]);
    await stack.reloadConfig();

    const { decision, excluded, pinged } = await sendLead(stack, w, demoLead());
    expect(decision.state).toBe('sold');
    expect(pinged).toEqual(['open', 'sub-ok', 'west', 'zip-941']);
    expect(Object.keys(excluded).sort()).toEqual(['bing-only', 'closed', 'no-google', 'texas', 'young-or-ny']);
    expect(excluded['texas']).toEqual({
      reason: 'filter_rule',
      rule: 'filters.0',
      detail: 'channel rule "Texas only" at filters.0: state must equal TX',
    });
    expect(excluded['young-or-ny']).toEqual({
      reason: 'filter_rule',
      rule: 'filters.1',
      detail: `channel rule "any" at filters.1: none of: age ${AGE} above 30; state must equal NY`,
    });
    expect(excluded['no-google']).toMatchObject({
      reason: 'filter_rule',
      detail: expect.stringContaining('source google is on the deny list'),
    });
    expect(excluded['bing-only']).toMatchObject({
      reason: 'filter_rule',
      detail: expect.stringContaining('not on the allow list'),
    });
    expect(excluded['closed']).toEqual({
      reason: 'schedule',
      detail: expect.stringMatching(/^outside open hours: (mon|tue|wed|thu|fri|sat|sun) \d\d:\d\d in America\/New_York$/),
    });
    // Nothing excluded ever reached a buyer.
    const buyersPinged = new Set(sim.requests({ kind: 'ping' }).map((r) => r.buyer));
    for (const key of Object.keys(excluded)) expect(buyersPinged.has(`${w.campaignKey}-${key}`)).toBe(false);
  });

  it('a failing campaign rule excludes the lead from every channel, and says it was the campaign', async () => {
    const w = await wire(stack, sim, [{ key: 'a' }, { key: 'b', filters: [{ op: 'exists', field: 'zip' }] }], {
      filters: [
        {
          op: 'all',
          name: 'seniors',
          rules: [
            { op: 'exists', field: 'zip' },
            { op: 'age', min: 65 },
          ],
        },
      ],
    });
    await stack.reloadConfig();

    const { decision, excluded, pinged } = await sendLead(stack, w, demoLead());
    expect(decision).toMatchObject({ state: 'unsold', reason: 'no_eligible_channel' });
    expect(pinged).toEqual([]);
    for (const key of ['a', 'b']) {
      expect(excluded[key]).toEqual({
        reason: 'campaign_rule',
        rule: 'campaign.filters.0.rules.1',
        detail: `campaign rule "age" at campaign.filters.0.rules.1: age ${AGE} below 65`,
      });
    }
    const older = await sendLead(stack, w, demoLead({ contact: { ...demoLead().contact, dateOfBirth: '1950-01-01' } }));
    expect(older.decision.state).toBe('sold');
    expect(older.excluded).toEqual({});
  });

  it('a failing supplier rule excludes the lead from every channel, and says it was the supplier', async () => {
    const w = await wire(stack, sim, [{ key: 'a' }, { key: 'b' }]);
    await stack.ds.query(`UPDATE suppliers SET filters = $2 WHERE id = $1`, [
      w.supplierId,
      JSON.stringify([{ op: 'allow_list', field: 'subId', values: ['partner-7'], name: 'approved sub-ids' }]),
    ]);
    await stack.reloadConfig();
    await Promise.all(stack.services.get('filter')!.map((s) => s.app.get(SupplierRules).reload()));

    const { decision, excluded } = await sendLead(stack, w, demoLead());
    expect(decision.state).toBe('unsold');
    expect(excluded['a']).toEqual({
      reason: 'supplier_rule',
      rule: 'supplier.filters.0',
      detail: 'supplier rule "approved sub-ids" at supplier.filters.0: subId spring-sale is not on the allow list',
    });
    expect(excluded['b']?.reason).toBe('supplier_rule');

    const approved = await sendLead(stack, w, demoLead({ subId: 'Partner-7' }));
    expect(approved.decision.state).toBe('sold');
  });
});
