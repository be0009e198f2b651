import { XMLParser } from 'fast-xml-parser';
import { SLOW_EXTRA_MS } from './buyer-behaviour';
import type { SimBuyerInput, SimMode, Style } from './sim-buyer';
import { type BuyerSim, startBuyerSim } from './sim-server';
import { PING_LEAD, send, sendJson } from './test/sim-client';

function buyer(key: string, mode: SimMode, style: Style = 'transaction-json', extra: Partial<SimBuyerInput> = {}) {
  return { key, style, bid: { min: 5, max: 20 }, mode, ...extra };
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > giveUpAt) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function timersActive(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('failure modes', () => {
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({
      buyers: [
        buyer('hang', 'hang'),
        buyer('down', 'error5xx'),
        buyer('garbage-json', 'garbage'),
        buyer('garbage-xml', 'garbage', 'xml-form'),
        buyer('slow', 'slow'),
        buyer('steady', 'normal', 'bid-json', { latencyMs: { min: 60, max: 60 } }),
        buyer('empty-json', 'empty200'),
        buyer('empty-text', 'empty200', 'text-pipe'),
        buyer('late', 'late', 'bid-json', { lateMs: 1500 }),
        buyer('fickle', 'bid_then_reject', 'rtb-expiry'),
      ],
    });
  });

  afterAll(() => sim.close());

  it('hang: never answers, and the call ends cleanly when the client aborts', async () => {
    const abort = new AbortController();
    const call = send(`${sim.url}/buyers/hang/ping`, {
      body: JSON.stringify(PING_LEAD),
      contentType: 'application/json',
      signal: abort.signal,
    });
    await until(() => sim.requests({ buyer: 'hang' }).length === 1);
    await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    await expect(call).rejects.toMatchObject({ name: expect.stringMatching(/Abort/) });
    // The sim still serves others afterwards.
    expect((await sendJson(`${sim.url}/buyers/steady/ping`, PING_LEAD)).status).toBe(200);
  });

  it('error5xx: answers 503 with an HTML page', async () => {
    const answer = await sendJson(`${sim.url}/buyers/down/ping`, PING_LEAD);
    expect(answer.status).toBe(503);
    expect(answer.contentType).toContain('text/html');
    expect(answer.text).toMatch(/^<!DOCTYPE html>/);
  });

  it('garbage: answers 200 with a body that does not parse', async () => {
    const json = await sendJson(`${sim.url}/buyers/garbage-json/ping`, PING_LEAD);
    expect(json.status).toBe(200);
    expect(json.contentType).toContain('application/json');
    expect(() => JSON.parse(json.text)).toThrow(SyntaxError);

    const xml = await send(`${sim.url}/buyers/garbage-xml/post`, { body: 'id=xf-1' });
    expect(xml.status).toBe(200);
    expect(() => new XMLParser().parse(xml.text)).toThrow();
  });

  it("latency: answers no sooner than the buyer's latency", async () => {
    const started = performance.now();
    const answer = await sendJson(`${sim.url}/buyers/steady/ping`, PING_LEAD);
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('slow: adds two seconds, then answers normally', async () => {
    const started = performance.now();
    const answer = await sendJson(`${sim.url}/buyers/slow/ping`, PING_LEAD);
    expect(performance.now() - started).toBeGreaterThanOrEqual(SLOW_EXTRA_MS - 10);
    expect(JSON.parse(answer.text)).toMatchObject({ Success: true });
  }, 10_000);

  it("empty200: answers 200 with the style's content type and no body", async () => {
    const json = await sendJson(`${sim.url}/buyers/empty-json/ping`, PING_LEAD);
    expect(json).toEqual({ status: 200, contentType: expect.stringContaining('application/json'), text: '' });
    const text = await send(`${sim.url}/buyers/empty-text/post`, { body: 'ref=tp-1' });
    expect(text).toEqual({ status: 200, contentType: expect.stringContaining('text/plain'), text: '' });
  });

  it("late: misses a caller's deadline, then answers normally after lateMs", async () => {
    const deadline = AbortSignal.timeout(300);
    await expect(
      send(`${sim.url}/buyers/late/ping`, { body: JSON.stringify(PING_LEAD), contentType: 'application/json', signal: deadline }),
    ).rejects.toMatchObject({ name: expect.stringMatching(/Abort|Timeout/) });
    expect(sim.requests({ buyer: 'late' })).toHaveLength(1);

    const started = performance.now();
    const answer = await sendJson(`${sim.url}/buyers/late/ping`, PING_LEAD);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1490);
    expect(JSON.parse(answer.text)).toMatchObject({ status: 'bid' });
  }, 10_000);

  it('bid_then_reject: bids on every ping, rejects every post quoting its bid', async () => {
    for (let i = 0; i < 5; i++) {
      const bid = JSON.parse((await sendJson(`${sim.url}/buyers/fickle/ping`, PING_LEAD)).text);
      expect(bid).toMatchObject({ result: 'bid', bidId: expect.any(String) });
      const sold = JSON.parse((await sendJson(`${sim.url}/buyers/fickle/post`, { bidId: bid.bidId })).text);
      expect(sold).toEqual({ result: 'refused', reason: expect.any(String) });
    }
  });

  it('close(): drops hanging and waiting calls at once and leaves no timer behind', async () => {
    const own = await startBuyerSim({
      buyers: [buyer('hang', 'hang'), buyer('late', 'normal', 'bid-json', { latencyMs: { min: 30_000, max: 30_000 } })],
    });
    const before = timersActive();
    const calls = [sendJson(`${own.url}/buyers/hang/ping`, PING_LEAD), sendJson(`${own.url}/buyers/late/ping`, PING_LEAD)];
    const settled = Promise.allSettled(calls);
    await until(() => own.requests().length === 2);
    expect(timersActive()).toBe(before + 1);

    const started = performance.now();
    await own.close();
    await own.close(); // twice is fine
    const results = await settled;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(timersActive()).toBeLessThanOrEqual(before);
  });
});
