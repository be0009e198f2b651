import { ConfigStore } from '@pingtree/db';
import { demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim, type RecordedRequest, type SimChannelCalls } from '../../buyer-sim/src';
import { CONFORMANCE_CASES, STYLE_WIRE, type ConformanceCase } from './conformance-cases';
import { contactFoundIn, contactSpellings, distinctContact, type ProbeContact } from './contact-probe';

/** One lead through one case: what the gateway answered and what the trail says about the channel. */
interface LeadResult {
  leadId: string;
  contact: ProbeContact;
  decision: Record<string, any>;
  pinged: Record<string, any>[];
  posted: Record<string, any>[];
}

/** Leads in flight at once: enough to finish quickly, few enough to stay a bounded loopback load. */
const LEADS_IN_FLIGHT = 16;

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * The style's preset, for a buyer that always decides at once: these channels take no async posts,
 * so the post reads no `pending` answer (a channel may only read one with asyncPost configured).
 */
function channelCalls(simUrl: string, c: ConformanceCase): SimChannelCalls {
  const { ping, post } = simChannelCalls(simUrl, c.name, c.style);
  const { pending: _pending, ...response } = post.response;
  return { ping, post: { ...post, response } };
}

function matchesText(actual: unknown, expected: string | RegExp): boolean {
  return typeof actual === 'string' && (typeof expected === 'string' ? actual === expected : expected.test(actual));
}

/**
 * Every answer style of buyer-sim, each configured as a real channel from its preset, against every
 * failure mode and the reject and expiry paths: one campaign and one single-channel tree per case,
 * leads through the whole stack, outcomes read from the lead's trail. Then every ping any buyer
 * received is scanned for the leads' contact data.
 */
describe('buyer conformance: every style × every mode, and no contact data in any ping', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  const channelOf = new Map<string, string>();
  const results = new Map<string, LeadResult[]>();
  const contacts: ProbeContact[] = [];

  beforeAll(async () => {
    sim = await startBuyerSim({
      seed: 11,
      buyers: CONFORMANCE_CASES.map((c) => {
        const bid = STYLE_WIRE[c.style].bid;
        return { key: c.name, style: c.style, bid: { min: bid, max: bid }, pingRejectRate: 0, postRejectRate: 0, ...c.buyer };
      }),
    });
    stack = await startTestStack();
    const store = new ConfigStore(stack.ds);
    const { apiKey } = await store.createSupplier('conformance supplier');
    for (const c of CONFORMANCE_CASES) {
      const buyerId = await store.createBuyer({ name: c.name, displayName: c.name });
      const calls = channelCalls(sim.url, c);
      const channelId = await store.createChannel({
        name: c.name,
        buyerId,
        ...calls,
        pingTimeoutMs: c.pingTimeoutMs,
        postTimeoutMs: c.postTimeoutMs,
      });
      channelOf.set(c.name, channelId);
      const treeId = await store.createTree({
        name: c.name,
        tiers: [{ name: 'only', logic: 'auction', channelIds: [channelId] }],
      });
      await store.createCampaign({
        key: c.name,
        name: c.name,
        vertical: 'auto_insurance',
        treeId,
        tmaxMs: c.tmaxMs,
        postReserveMs: c.postReserveMs,
        dedupeWindowHours: 0,
      });
      results.set(c.name, []);
    }
    await stack.reloadConfig();

    const leads = CONFORMANCE_CASES.flatMap((c) => Array.from({ length: c.leads }, () => c));
    await forEachLimited(leads, LEADS_IN_FLIGHT, async (c) => {
      const contact = distinctContact();
      contacts.push(contact);
      const { status, body } = await postLead(stack, apiKey, demoLead({ campaign: c.name, contact }));
      if (status !== 200) throw new Error(`${c.name}: lead answered ${status} ${JSON.stringify(body)}`);
      const trail = await waitForFinishedTrail(stack, body.leadId);
      const about = (type: string) =>
        trail.filter((e) => e.type === type && e.channelId === channelOf.get(c.name)).map((e) => e.data);
      results
        .get(c.name)!
        .push({ leadId: body.leadId, contact, decision: body, pinged: about('pinged'), posted: about('posted') });
    });
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it.each(CONFORMANCE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c: ConformanceCase) => {
    const { bid, refField } = STYLE_WIRE[c.style];
    const { expected } = c;
    const leads = results.get(c.name)!;
    expect(leads).toHaveLength(c.leads);
    const posts = sim.requests({ buyer: c.name, kind: 'post' });
    for (const lead of leads) {
      expect(lead.pinged).toHaveLength(1);
      const ping = lead.pinged[0]!;
      expect(ping.outcome).toBe(expected.pinged);
      if (expected.httpStatus !== undefined) expect(ping.httpStatus).toBe(expected.httpStatus);
      if (expected.pingReason !== undefined)
        expect(matchesText(ping.reason, expected.pingReason) ? 'matches' : ping.reason).toBe('matches');
      if (expected.pinged === 'unparseable') expect(ping.price).toBeNull();
      if (expected.answerExcerpt) expect(ping.answer.length).toBeGreaterThan(0);

      if (expected.pinged === 'bid') {
        // Dollars, "12.50" strings, cents and text all come out as the same dollars.
        expect(ping.price).toBe(bid);
        expect(typeof ping.buyerRef).toBe('string');
        // The ref was read from the buyer's answer, not made up.
        expect(ping.answer).toContain(ping.buyerRef);
      }

      if (expected.posted === undefined) {
        expect(lead.posted).toEqual([]);
      } else {
        expect(lead.posted.map((p) => p.outcome)).toEqual([expected.posted]);
        if (expected.postReason !== undefined) {
          const reason = lead.posted[0]!.reason;
          expect(matchesText(reason, expected.postReason) ? 'matches' : reason).toBe('matches');
        }
      }
      // The post the buyer received quotes the ping's id in the style's own field.
      const sent = posts.filter((p) => (p.body as Record<string, unknown> | null)?.['leadId'] === lead.leadId);
      const postSent = expected.posted !== undefined && expected.postSent !== false;
      expect(sent).toHaveLength(postSent ? 1 : 0);
      if (postSent) expect((sent[0]!.body as Record<string, unknown>)[refField]).toBe(ping.buyerRef);

      if (expected.posted === 'accepted') {
        expect(lead.decision.state).toBe('sold');
        expect(lead.decision.sales).toEqual([expect.objectContaining({ channelId: channelOf.get(c.name), price: bid })]);
      } else {
        expect(lead.decision.state).toBe('unsold');
      }
    }
  });

  it('reads auction-202 quota (HTTP 202) and plain rejects, each with its reason', () => {
    const pings = results.get('auction-202-ping-reject')!.map((l) => l.pinged[0]!);
    const quota = pings.filter((p) => p.httpStatus === 202);
    const plain = pings.filter((p) => p.httpStatus === 200);
    expect(quota.length).toBeGreaterThan(0);
    expect(plain.length).toBeGreaterThan(0);
    for (const p of quota) expect([p.outcome, p.reason]).toEqual(['rejected', 'quota reached']);
    for (const p of plain) expect(p.reason).toMatch(/^(Not interested|Outside coverage area)$/);
  });

  it('reads every cents-flags spelling of yes, and the reason from msg or error.detail', () => {
    const flags = results.get('cents-flags-normal')!.map((l) => JSON.parse(l.pinged[0]!.answer).status);
    // The sim picks a spelling per answer at random: every one seen must be read as yes (each lead bid),
    // and over nine leads more than one spelling turns up.
    const spellings = new Set(flags.map((f) => JSON.stringify(f)));
    for (const spelling of spellings) expect(['"accepted"', '1', '"1"']).toContain(spelling);
    expect(spellings.size).toBeGreaterThanOrEqual(2);
    for (const l of results.get('cents-flags-normal')!) expect(l.pinged[0]!.outcome).toBe('bid');
    const rejects = results.get('cents-flags-ping-reject')!.map((l) => JSON.parse(l.pinged[0]!.answer));
    expect(rejects.some((a) => typeof a.msg === 'string')).toBe(true);
    expect(rejects.some((a) => typeof a.error?.detail === 'string')).toBe(true);
    for (const lead of results.get('cents-flags-ping-reject')!) {
      expect(lead.pinged[0]!.reason).toMatch(/^(Bid too low|Duplicate lead)$/);
    }
  });

  it('keeps the expiry the rtb-expiry buyer announces with the bid', () => {
    const [lead] = results.get('rtb-expiry-normal')!;
    const ping = lead!.pinged[0]!;
    // 30 s announced: the bid expires well after the lead finished.
    expect(ping.expiresAt).toBeGreaterThan(Date.now() + 10_000);
  });

  it('sends no contact value, in any format, in any ping body or header', () => {
    const pings: RecordedRequest[] = sim.requests({ kind: 'ping' });
    const leadCount = CONFORMANCE_CASES.reduce((n, c) => n + c.leads, 0);
    expect(contacts).toHaveLength(leadCount);
    // One ping per lead: every case's buyer was called, none was skipped by a circuit breaker.
    expect(pings).toHaveLength(leadCount);
    expect(pings.length).toBeGreaterThan(20);
    const spellings = contacts.flatMap(contactSpellings);
    const leaks = pings.map((p) => ({ buyer: p.buyer, found: contactFoundIn(p, spellings) })).filter((p) => p.found.length > 0);
    expect(leaks).toEqual([]);
  });

  it('finds the contact data in the posts (the scan above can see it when it is there)', () => {
    const posts = sim.requests({ kind: 'post' });
    expect(posts.length).toBeGreaterThan(10);
    const contactOf = new Map([...results.values()].flat().map((l) => [l.leadId, l.contact]));
    for (const post of posts) {
      const contact = contactOf.get((post.body as Record<string, unknown>)['leadId'] as string)!;
      const found = contactFoundIn(post, contactSpellings(contact));
      expect(found).toEqual(
        expect.arrayContaining([contact.firstName, contact.lastName, contact.address, contact.email, contact.dateOfBirth]),
      );
      expect(found).toContain(`+1${contact.phone.replace(/\D/g, '')}`);
    }
  });
});
