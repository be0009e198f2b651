import { type BuyerCall, buyerCallSchema } from '@pingtree/contracts';
import { XMLParser } from 'fast-xml-parser';
import { simChannelCalls } from './channel-presets';
import { STYLES, type Style } from './sim-buyer';
import { type BuyerSim, startBuyerSim } from './sim-server';
import { PING_LEAD, send } from './test/sim-client';

/**
 * A small reader with the semantics the ping and post services promise (see the brief), used to
 * check that each preset really reads what the sim answers.
 */
interface Reading {
  outcome: 'accept' | 'reject' | 'error';
  price?: number;
  ref?: string;
  reason?: string;
  redirectUrl?: string;
}

function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), value);
}

function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'object' && v !== null) flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = String(v);
  }
  return out;
}

async function callBuyer(call: BuyerCall, payload: Record<string, unknown>): Promise<Reading> {
  const form = call.format === 'form';
  const answer = await send(call.url, {
    method: call.method === 'GET' ? 'GET' : call.method,
    body: form ? new URLSearchParams(flatten(payload)).toString() : JSON.stringify(payload),
    contentType: form ? 'application/x-www-form-urlencoded' : 'application/json',
  });
  if (answer.status >= 500) return { outcome: 'error' };
  const rules = call.response;
  const parsed: unknown = rules.format === 'xml' ? new XMLParser().parse(answer.text) : JSON.parse(answer.text);
  const reason = rules.reason?.paths.map((p) => at(parsed, p)).find((v) => v !== undefined);
  const mapped = rules.statusMap[String(answer.status)];
  const accepted = rules.accept.values.includes(String(at(parsed, rules.accept.path)).toLowerCase());
  const reading: Reading = { outcome: mapped ?? (accepted ? 'accept' : 'reject') };
  if (reason !== undefined) reading.reason = typeof reason === 'string' ? reason : JSON.stringify(reason);
  if (reading.outcome !== 'accept') return reading;
  if (rules.price) reading.price = Number(at(parsed, rules.price.path));
  if (rules.buyerRef) reading.ref = String(at(parsed, rules.buyerRef.path));
  if (rules.redirectUrl) reading.redirectUrl = String(at(parsed, rules.redirectUrl.path));
  return reading;
}

const FULL_LEAD = { ...PING_LEAD, contact: { firstName: 'Ada', phone: '+14155550100' } };

describe('simChannelCalls', () => {
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({
      buyers: STYLES.flatMap((style) => [
        { key: `${style}-yes`, style, bid: { min: 10, max: 30 } },
        { key: `${style}-no`, style, bid: { min: 10, max: 30 }, pingRejectRate: 1, postRejectRate: 1 },
      ]),
    });
  });

  afterAll(() => sim.close());

  it.each(STYLES)('%s: is a complete, valid BuyerCall for ping and post', (style: Style) => {
    const calls = simChannelCalls(`${sim.url}/`, 'k', style);
    expect(buyerCallSchema.parse(calls.ping)).toEqual(calls.ping);
    expect(buyerCallSchema.parse(calls.post)).toEqual(calls.post);
    expect(calls.ping.url).toBe(`${sim.url}/buyers/k/ping`);
    expect(calls.post.url).toBe(`${sim.url}/buyers/k/post`);
  });

  it.each(STYLES)('%s: reads an accepted ping, then the post quoting its id is accepted', async (style: Style) => {
    const calls = simChannelCalls(sim.url, `${style}-yes`, style);
    const ping = await callBuyer(calls.ping, PING_LEAD);
    expect(ping).toMatchObject({ outcome: 'accept', ref: expect.any(String) });
    expect(ping.price).toBeGreaterThanOrEqual(10);
    expect(ping.price).toBeLessThanOrEqual(30);

    const post = await callBuyer(calls.post, { ...FULL_LEAD, [calls.post.buyerRefField]: ping.ref });
    expect(post.outcome).toBe('accept');
    const [recorded] = sim.requests({ buyer: `${style}-yes`, kind: 'post' }).slice(-1);
    expect(recorded?.body).toMatchObject({ [calls.post.buyerRefField]: ping.ref });
  });

  it.each(STYLES)('%s: reads rejects with a reason', async (style: Style) => {
    const calls = simChannelCalls(sim.url, `${style}-no`, style);
    for (let i = 0; i < 6; i++) {
      const ping = await callBuyer(calls.ping, PING_LEAD);
      expect(ping).toEqual({ outcome: 'reject', reason: expect.stringMatching(/\w/) });
    }
    const post = await callBuyer(calls.post, FULL_LEAD);
    expect(post).toEqual({ outcome: 'reject', reason: expect.stringMatching(/\w/) });
    const unknown = await callBuyer(simChannelCalls(sim.url, `${style}-yes`, style).post, {
      ...FULL_LEAD,
      [calls.post.buyerRefField]: 'never-issued',
    });
    expect(unknown).toEqual({ outcome: 'reject', reason: expect.stringContaining('unknown transaction') });
  });

  it('auction-202: reads "quota reached" from a 202 as a reject', async () => {
    const calls = simChannelCalls(sim.url, 'auction-202-no', 'auction-202');
    const reasons = new Set<string>();
    for (let i = 0; i < 20; i++) reasons.add((await callBuyer(calls.ping, PING_LEAD)).reason ?? '');
    expect(reasons).toContain('quota reached');
    expect(reasons.size).toBeGreaterThan(1);
  });

  it('reads a 5xx as an error', async () => {
    sim.setBuyer({ key: 'down', style: 'xml-form', bid: { min: 1, max: 2 }, mode: 'error5xx' });
    expect(await callBuyer(simChannelCalls(sim.url, 'down', 'xml-form').ping, PING_LEAD)).toEqual({ outcome: 'error' });
  });
});
