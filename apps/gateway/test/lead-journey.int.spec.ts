import { request } from 'undici';
import { DEMO_SUPPLIER_KEY, seedDemo } from '../../../tools/demo/seed-demo';
import { DEMO_BUYERS, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import {
  demoLead,
  getLead,
  postLead as postLeadAs,
  startTestStack,
  waitForFinishedTrail,
  type TestStack,
} from '@pingtree/testing';
import {
  auctionSelectV1,
  CONTACT_FIELDS,
  filterCheckV1,
  pingDispatchV1,
  postDeliverV1,
  withNamespace,
} from '@pingtree/contracts';
import { connectNats } from '@pingtree/messaging';

describe('a lead flows end to end (real NATS, PostgreSQL and buyer HTTP servers)', () => {
  let stack: TestStack;
  let sim: BuyerSim;

  beforeAll(async () => {
    // Every demo buyer bids and buys, so the outcome is decided by price alone.
    sim = await startBuyerSim({ seed: 42, buyers: DEMO_BUYERS.map((b) => ({ ...b, pingRejectRate: 0, postRejectRate: 0 })) });
    stack = await startTestStack();
    await seedDemo(stack.ds, sim.url);
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  const postLead = (body: unknown, headers: Record<string, string> = {}) => postLeadAs(stack, DEMO_SUPPLIER_KEY, body, headers);

  it("carries the lead's trace id in every step's request, with no spans recorded", async () => {
    // A plain subscriber sees a copy of every step request (the services answer in their queue groups).
    const nc = await connectNats(stack.env.NATS_URL, 'trace-watcher');
    const traceparents = new Map<string, string[]>();
    const subjects = [filterCheckV1, pingDispatchV1, auctionSelectV1, postDeliverV1].map((e) =>
      withNamespace(stack.env.PINGTREE_NAMESPACE, e.subject),
    );
    const subs = subjects.map((subject) =>
      nc.subscribe(subject, {
        callback: (_err, msg) => {
          traceparents.set(subject, [...(traceparents.get(subject) ?? []), msg.headers?.get('traceparent') ?? '']);
        },
      }),
    );
    try {
      await nc.flush();
      const { body } = await postLead(demoLead());
      expect(body.state).toBe('sold');
      const { body: lead } = await getLead(stack, body.leadId);
      for (const subject of subjects)
        expect(traceparents.get(subject)).toEqual([expect.stringContaining(`-${lead.lead.traceId}-`)]);
    } finally {
      for (const sub of subs) sub.unsubscribe();
      await nc.close();
    }
  });

  it('sells a lead to the highest bidder of the first tier at the second price and records every step in the trail', async () => {
    const { status, body } = await postLead(demoLead());
    expect(status).toBe(200);
    expect(body.state).toBe('sold');
    expect(body.sales).toHaveLength(1);
    const trail = await waitForFinishedTrail(stack, body.leadId);
    const pings = trail.filter((e) => e.type === 'pinged');
    expect(pings).toHaveLength(3); // the premium auction tier sold, so later tiers were never pinged
    for (const p of pings) {
      expect(p.data.outcome).toBe('bid');
      expect(typeof p.data.ms).toBe('number');
    }
    const bids = pings.map((p) => p.data.price as number).sort((a, b) => b - a);
    const best = bids[0]!;
    // The demo's premium tier is a second-price auction with a floor of 5.
    expect(body.sales[0].price).toBe(Math.min(best, Math.round((Math.max(bids[1]!, 5) + 0.01) * 100) / 100));
    const winner = pings.find((p) => p.data.price === best)!;
    expect(body.sales[0].channelId).toBe(winner.channelId);
    const types = trail.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['received', 'pinged', 'selected', 'post_attempted', 'posted', 'finished']));
    const { body: lead } = await getLead(stack, body.leadId);
    expect(lead.lead.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(lead.lead.traceId).not.toMatch(/^0+$/);
    const lifecycle = lead.lead.lifecycle as Array<{ state: string; at: string }>;
    expect(lifecycle.map((l) => l.state)).toEqual(['received', 'pinging', 'posting', 'sold']);
    const times = lifecycle.map((l) => Date.parse(l.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const posted = trail.find((e) => e.type === 'posted')!;
    expect(posted.data.outcome).toBe('accepted');
  });

  it('never puts contact data in a ping', async () => {
    sim.clearRequests();
    const lead = demoLead();
    await postLead(lead);
    const pings = sim.requests({ kind: 'ping' });
    expect(pings.length).toBeGreaterThan(0);
    const contact = lead.contact as Record<string, string>;
    const digits = contact['phone']!.replace(/\D/g, '');
    for (const ping of pings) {
      for (const field of CONTACT_FIELDS) {
        const value = contact[field.split('.')[1]!];
        if (value) expect(ping.rawBody).not.toContain(value);
      }
      expect(ping.rawBody.replace(/\D/g, '')).not.toContain(digits);
      expect(ping.rawBody.toLowerCase()).not.toContain(String(contact['email']).toLowerCase());
    }
  });

  it('answers 4xx with a code and the failing field for partner mistakes', async () => {
    const missing = await postLead({ ...demoLead(), contact: undefined });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    expect(missing.body.error.fields.map((f: { field: string }) => f.field)).toContain('contact');

    const badPhone = await postLead(demoLead({ contact: { ...demoLead().contact, phone: '123' } }));
    expect(badPhone.status).toBe(422);
    expect(badPhone.body.error.fields[0].field).toBe('contact.phone');

    const unknownCampaign = await postLead(demoLead({ campaign: 'nope' }));
    expect(unknownCampaign.status).toBe(422);
    expect(unknownCampaign.body.error.fields[0].field).toBe('campaign');

    const badKey = await postLead(demoLead(), { 'x-api-key': 'wrong' });
    expect(badKey.status).toBe(401);
    expect(badKey.body.error.code).toBe('UNAUTHORIZED');

    const malformed = await request(`${stack.gatewayUrl}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': DEMO_SUPPLIER_KEY },
      body: '{"campaign": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(((await malformed.body.json()) as any).error.code).toBe('INVALID_REQUEST');
  });

  it('answers duplicate for the same consumer inside the window', async () => {
    const lead = demoLead();
    const first = await postLead(lead);
    const second = await postLead({ ...lead, supplierLeadId: 'another-id' });
    expect(first.body.state).not.toBe('duplicate');
    expect(second.body.state).toBe('duplicate');
    expect(second.body.duplicateOf).toBe(first.body.leadId);
  });
});
