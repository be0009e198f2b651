import { ConfigStore } from '@pingtree/db';
import { demoLead, getLead, postLead, startTestStack, type TestStack } from '@pingtree/testing';
import { startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { capWindows, createCapsCampaign, reservationStates, type CapsCampaign } from './caps-fixture';

const LEADS = 1000;
const IN_FLIGHT = 50;
const CAP = 100;

/** Runs `task` for 0..n-1 with at most `limit` in flight. */
async function pool<T>(n: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** A lead whose phone and email no other lead of the run shares, so dedupe never interferes. */
function uniqueLead(campaign: string, i: number) {
  const lead = demoLead({ campaign });
  const phone = `(415) ${200 + Math.floor(i / 1000)}-${String(1000 + i).slice(-4)}`;
  return { ...lead, contact: { ...lead.contact, phone, email: `caps.load.${i}@example.com` } };
}

/**
 * The classic oversell: many leads selected at the same instant for a channel with one slot
 * left. With two auction and two post replicas, a daily cap of 100 must sell exactly 100.
 */
describe('caps under concurrency', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let apiKey: string;
  let setup: CapsCampaign;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 11, recordRequests: false });
    stack = await startTestStack({ replicas: { auction: 2, post: 2, filter: 2 } });
    apiKey = (await new ConfigStore(stack.ds).createSupplier('caps supplier')).apiKey;
    setup = await createCapsCampaign(stack, sim, 'caps-load', [{ period: 'day', count: CAP }]);
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it(`sells exactly ${CAP} of ${LEADS} concurrent leads to the capped channel`, async () => {
    const started = performance.now();
    const decisions = await pool(LEADS, IN_FLIGHT, async (i) => {
      const { status, body } = await postLead(stack, apiKey, uniqueLead(setup.campaign, i));
      expect(status).toBe(200);
      return body;
    });
    const seconds = (performance.now() - started) / 1000;

    const soldTo = (channelId: string) =>
      decisions.filter((d) => d.state === 'sold' && d.sales[0].channelId === channelId).length;
    const states = decisions.reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.state]: (acc[d.state] ?? 0) + 1 }), {});
    console.log(
      `caps: ${LEADS} leads, ${IN_FLIGHT} in flight, ${seconds.toFixed(1)} s: ` +
        `${soldTo(setup.capped)} to the capped channel, ${soldTo(setup.fallback)} to the fallback, states ${JSON.stringify(states)}`,
    );

    expect(soldTo(setup.capped)).toBe(CAP);
    expect(soldTo(setup.capped) + soldTo(setup.fallback)).toBe(states['sold']);
    // Every lead either sold (to one of the two) or stayed unsold: nothing oversold, nothing lost.
    expect((states['sold'] ?? 0) + (states['unsold'] ?? 0)).toBe(LEADS);

    expect(await capWindows(stack, setup.capped)).toEqual([
      { period: 'day', used_count: CAP, reserved_count: 0, used_spend: '2000.00', reserved_spend: '0.00' },
    ]);
    // A reservation per sale, all committed; none left holding room.
    expect(await reservationStates(stack, setup.capped)).toEqual({ committed: CAP });
    const [accepted] = (await stack.ds.query(
      `SELECT count(*)::int AS n FROM post_attempts WHERE channel_id = $1 AND state = 'accepted'`,
      [setup.capped],
    )) as Array<{ n: number }>;
    expect(accepted!.n).toBe(CAP);

    // The trail of a lead that went to the fallback says why the capped channel didn't get it.
    const late = decisions.find((d) => d.state === 'sold' && d.sales[0].channelId === setup.fallback)!;
    let passedOver: any;
    for (let i = 0; i < 50 && !passedOver; i++) {
      const { body } = await getLead(stack, late.leadId);
      passedOver = (body.trail ?? []).find((e: any) => e.type === 'passed_over' && e.channelId === setup.capped);
      if (!passedOver) await new Promise((r) => setTimeout(r, 100));
    }
    expect(passedOver.data.reason).toBe('cap_reached (day)');
    // Generous: about 15 s alone, but the machine may be busy with other suites.
  }, 180_000);
});
