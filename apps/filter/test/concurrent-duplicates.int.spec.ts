import { demoLead, postLead, startTestStack, type TestStack } from '@pingtree/testing';
import { startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { wire } from './filter-test-kit';

const COPIES = 50;

/**
 * Duplicates submitted at the same instant must not both sell: 50 identical leads at once, with two
 * filter replicas claiming dedupe keys in PostgreSQL, give exactly one lead processed.
 */
describe('50 identical leads at once (real NATS, PostgreSQL, two filter replicas)', () => {
  let stack: TestStack;
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 10 });
    stack = await startTestStack({ replicas: { filter: 2 } });
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it('processes exactly one and answers 49 duplicates of it', async () => {
    expect(stack.services.get('filter')).toHaveLength(2);
    const w = await wire(stack, sim, [{ key: 'buyer' }], { dedupeWindowHours: 24 });
    await stack.reloadConfig();
    // No supplier lead id: copies of one consumer are caught by dedupe, not answered as retries.
    const lead = { ...demoLead({ supplierLeadId: undefined }), campaign: w.campaignKey };

    const answers = await Promise.all(Array.from({ length: COPIES }, () => postLead(stack, w.apiKey, lead)));
    expect(answers.map((a) => a.status)).toEqual(Array(COPIES).fill(200));
    const processed = answers.filter((a) => a.body.state !== 'duplicate');
    const duplicates = answers.filter((a) => a.body.state === 'duplicate');
    expect(processed).toHaveLength(1);
    expect(duplicates).toHaveLength(COPIES - 1);
    expect(processed[0]!.body.state).toBe('sold');
    for (const d of duplicates) expect(d.body.duplicateOf).toBe(processed[0]!.body.leadId);

    const posts = sim.requests({ kind: 'post' }).filter((r) => r.buyer === `${w.campaignKey}-buyer`);
    expect(posts).toHaveLength(1);
    const states = (await stack.ds.query(
      `SELECT state, count(*)::int AS n FROM leads WHERE campaign_id = $1 GROUP BY state ORDER BY state`,
      [w.campaignId],
    )) as Array<{ state: string; n: number }>;
    expect(states).toEqual([
      { state: 'duplicate', n: COPIES - 1 },
      { state: 'sold', n: 1 },
    ]);
  });
});
