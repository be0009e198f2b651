import { jetstreamManager } from '@nats-io/jetstream';
import { leadEventsStreamName } from '@pingtree/contracts';
import { connectNats } from '@pingtree/messaging';
import { DEMO_SUPPLIER_KEY, seedDemo } from '../../../tools/demo/seed-demo';
import { DEMO_BUYERS, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';

const LEADS = 5;

/** Steps that emit several events (a dispatch's pings, an auction's ranking, a delivery) send one message each. */
describe('lead event traffic', () => {
  let stack: TestStack;
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 5, buyers: DEMO_BUYERS.map((b) => ({ ...b, pingRejectRate: 0, postRejectRate: 0 })) });
    stack = await startTestStack();
    await seedDemo(stack.ds, sim.url);
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it('sends one stream message per multi-event step, not one per event', async () => {
    const leadIds: string[] = [];
    for (let i = 0; i < LEADS; i++) {
      const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
      expect(body.state).toBe('sold');
      leadIds.push(body.leadId);
    }
    for (const leadId of leadIds) await waitForFinishedTrail(stack, leadId);

    const rows = (await stack.ds.query(
      `SELECT id, lead_id, service, tier_index FROM lead_events WHERE lead_id = ANY($1::uuid[])`,
      [leadIds],
    )) as Array<{ id: string; lead_id: string; service: string; tier_index: number | null }>;
    // At most one message per step: a tier's dispatch, auction and delivery each carry all their events;
    // the gateway's events (received, finished) are steps of their own, and any of these may share a
    // batch window (ADRs 0009, 0010).
    const steps = new Set(
      rows.map((r) => (['ping', 'auction', 'post'].includes(r.service) ? `${r.lead_id}:${r.service}:${r.tier_index}` : r.id)),
    );
    const nc = await connectNats(stack.env.NATS_URL, 'traffic-test');
    try {
      const jsm = await jetstreamManager(nc);
      const messages = (await jsm.streams.info(leadEventsStreamName(stack.env.PINGTREE_NAMESPACE))).state.messages;
      console.log(
        `${LEADS} leads: ${rows.length} events (${rows.length / LEADS}/lead) in ${messages} messages (${messages / LEADS}/lead)`,
      );
      expect(messages).toBeLessThanOrEqual(steps.size);
      expect(messages).toBeLessThanOrEqual(rows.length / 2);
    } finally {
      await nc.close();
    }
  });
});
