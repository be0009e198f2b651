import { type BuyerCall, buyerCallSchema, pingCallSchema, type ResponseRules } from '@pingtree/contracts';
import { XMLParser } from 'fast-xml-parser';
import { simChannelCalls } from './channel-presets';
import { STYLES, type Style } from './sim-buyer';
import { type BuyerSim, startBuyerSim } from './sim-server';
import { type CallbackReceiver, startCallbackReceiver, until } from './test/callback-receiver';
import { PING_LEAD, send } from './test/sim-client';

/**
 * A small reader with the semantics the ping and post services promise (see the brief), used to
 * check that each preset really reads what the sim answers.
 */
interface Reading {
  outcome: 'accept' | 'reject' | 'pending' | 'error';
  price?: number;
  ref?: string;
  reason?: string;
  redirectUrl?: string;
  expiresInSeconds?: number;
}

/** Where a value is: a dot path (or the first of several), or a regex's one capture group. */
interface Locator {
  path?: string;
  paths?: string[];
  regex?: string;
  flags?: string;
}

function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), value);
}

function locate(doc: unknown, text: string, rule: Locator | undefined): unknown {
  if (!rule) return undefined;
  if (rule.regex !== undefined) return new RegExp(rule.regex, rule.flags).exec(text)?.[1];
  const paths = rule.paths ?? (rule.path === undefined ? [] : [rule.path]);
  return paths.map((p) => at(doc, p)).find((v) => v !== undefined);
}

function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'object' && v !== null) flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = String(v);
  }
  return out;
}

function parseAnswer(format: ResponseRules['format'], text: string): unknown {
  if (format === 'xml') return new XMLParser().parse(text);
  return format === 'json' ? JSON.parse(text) : undefined;
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
  const doc = parseAnswer(rules.format, answer.text);
  const read = (rule: Locator | undefined) => locate(doc, answer.text, rule);
  const says = (rule: (Locator & { values: string[] }) | undefined) =>
    rule !== undefined && rule.values.includes(String(read(rule)).toLowerCase());
  const reason = read(rules.reason);
  const mapped = rules.statusMap[String(answer.status)];
  const outcome =
    mapped ?? (answer.status >= 400 ? 'reject' : says(rules.pending) ? 'pending' : says(rules.accept) ? 'accept' : 'reject');
  const reading: Reading = { outcome };
  if (reason !== undefined && reason !== '') reading.reason = typeof reason === 'string' ? reason : JSON.stringify(reason);
  if (outcome === 'reject' || outcome === 'error') return reading;
  if (rules.buyerRef) reading.ref = String(read(rules.buyerRef));
  if (outcome === 'pending') return reading;
  if (rules.price) reading.price = Number(read(rules.price)) / (rules.price.unit === 'cents' ? 100 : 1);
  if (rules.redirectUrl) reading.redirectUrl = String(read(rules.redirectUrl));
  if (rules.expiresInSeconds) reading.expiresInSeconds = Number(read(rules.expiresInSeconds));
  return reading;
}

const FULL_LEAD = { ...PING_LEAD, contact: { firstName: 'Ada', phone: '+14155550100' } };

describe('simChannelCalls', () => {
  let sim: BuyerSim;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await startCallbackReceiver();
    sim = await startBuyerSim({
      buyers: STYLES.flatMap((style) => [
        { key: `${style}-yes`, style, bid: { min: 10, max: 30 } },
        { key: `${style}-no`, style, bid: { min: 10, max: 30 }, pingRejectRate: 1, postRejectRate: 1 },
        { key: `${style}-async`, style, bid: { min: 10, max: 30 }, callback: { delayMs: 0 }, callbackSecret: 's3cret' },
      ]),
    });
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it.each(STYLES)('%s: is a complete, valid BuyerCall for ping and post', (style: Style) => {
    const calls = simChannelCalls(`${sim.url}/`, 'k', style);
    expect(pingCallSchema.parse(calls.ping)).toEqual(calls.ping);
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

  it.each(STYLES)('%s: reads a post answered "pending", with the ref its callback will quote', async (style: Style) => {
    const calls = simChannelCalls(sim.url, `${style}-async`, style, { asyncPost: true });
    const ping = await callBuyer(calls.ping, PING_LEAD);
    expect(ping.outcome).toBe('accept');
    const post = await callBuyer(calls.post, { ...FULL_LEAD, [calls.post.buyerRefField]: ping.ref, callback_url: receiver.url });
    expect(post).toMatchObject({ outcome: 'pending', ref: ping.ref });
    await until(() => sim.callbacks({ buyer: `${style}-async` }).length === 1);
    expect(JSON.parse(sim.callbacks({ buyer: `${style}-async` })[0]!.body)).toEqual({ ref: ping.ref, status: 'accepted' });
  });

  it('rtb-expiry: reads the bid lifetime', async () => {
    const ping = await callBuyer(simChannelCalls(sim.url, 'rtb-expiry-yes', 'rtb-expiry').ping, PING_LEAD);
    expect(ping).toMatchObject({ outcome: 'accept', expiresInSeconds: 30 });
  });

  it('cents-flags: reads every accept flag spelling and the price in cents as dollars', async () => {
    const calls = simChannelCalls(sim.url, 'cents-flags-yes', 'cents-flags');
    for (let i = 0; i < 12; i++) {
      const ping = await callBuyer(calls.ping, PING_LEAD);
      expect(ping.outcome).toBe('accept');
      expect(ping.price).toBeGreaterThanOrEqual(10);
      expect(ping.price).toBeLessThanOrEqual(30);
    }
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
