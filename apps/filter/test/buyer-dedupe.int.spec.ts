import { demoLead, startTestStack, type TestStack } from '@pingtree/testing';
import { startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { sendLead, wire } from './filter-test-kit';

/**
 * "Don't sell the same consumer to the same buyer within N days": the post service records each
 * accepted post per buyer by identity hash (from the lead row, no contact data), and the filter
 * excludes that buyer's channels for the next lead of the same consumer.
 */
describe('per-buyer dedupe (real NATS, PostgreSQL and buyers)', () => {
  let stack: TestStack;
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 9 });
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it('sells a returning consumer to the next buyer, then to nobody, within the window', async () => {
    const w = await wire(
      stack,
      sim,
      [
        { key: 'first-a', buyer: 'first', priority: 3 },
        { key: 'first-b', buyer: 'first', priority: 2 },
        { key: 'second', priority: 1 },
      ],
      { buyerDedupeDays: 30 },
    );
    await stack.reloadConfig();
    const consumer = demoLead();

    const one = await sendLead(stack, w, consumer);
    expect(one.decision.sales.map((s: { buyer: string }) => s.buyer)).toEqual(['first']);
    expect(one.excluded).toEqual({});
    const recorded = (await stack.ds.query(`SELECT key_hash, lead_id FROM buyer_sales WHERE buyer_id = $1 ORDER BY key_hash`, [
      w.buyerOf.get('first'),
    ])) as Array<{ key_hash: string; lead_id: string }>;
    // phone, email and supplier lead id: hashes only.
    expect(recorded).toHaveLength(3);
    for (const r of recorded) {
      expect(r.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.lead_id).toBe(one.decision.leadId);
    }

    // Same phone, new email and supplier lead id: still the same consumer.
    const two = await sendLead(stack, w, {
      ...consumer,
      supplierLeadId: 'again-1',
      contact: { ...consumer.contact, email: 'other@example.com' },
    });
    expect(two.decision.sales.map((s: { buyer: string }) => s.buyer)).toEqual(['second']);
    expect(two.pinged).toEqual(['second']);
    for (const key of ['first-a', 'first-b']) {
      expect(two.excluded[key]).toEqual({
        reason: 'buyer_dedupe',
        detail: expect.stringMatching(/^buyer bought this consumer at \d{4}-\d\d-\d\dT.*Z, within 30 days$/),
      });
    }

    const three = await sendLead(stack, w, { ...consumer, supplierLeadId: 'again-2' });
    expect(three.decision).toMatchObject({ state: 'unsold', reason: 'no_eligible_channel' });
    expect(Object.values(three.excluded).map((e) => e.reason)).toEqual(['buyer_dedupe', 'buyer_dedupe', 'buyer_dedupe']);

    // Outside the window the buyer may buy again.
    await stack.ds.query(`UPDATE buyer_sales SET sold_at = now() - interval '31 days'`);
    const later = await sendLead(stack, w, { ...consumer, supplierLeadId: 'again-3' });
    expect(later.decision.sales.map((s: { buyer: string }) => s.buyer)).toEqual(['first']);
  });

  it('records sales but excludes nobody when the campaign has no buyer dedupe window', async () => {
    const w = await wire(stack, sim, [{ key: 'only' }], { buyerDedupeDays: 0 });
    await stack.reloadConfig();
    const consumer = demoLead();
    expect((await sendLead(stack, w, consumer)).decision.state).toBe('sold');
    const again = await sendLead(stack, w, { ...consumer, supplierLeadId: 'repeat' });
    expect(again.decision.state).toBe('sold');
    expect(again.excluded).toEqual({});
  });
});
