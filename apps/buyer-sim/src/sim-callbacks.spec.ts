import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimBuyerInput, Style } from './sim-buyer';
import { type BuyerSim, startBuyerSim } from './sim-server';
import { type CallbackReceiver, startCallbackReceiver, until } from './test/callback-receiver';
import { PING_LEAD, send, sendForm, sendJson } from './test/sim-client';

const SECRET = 'whsec-test-0123456789';

function asyncBuyer(key: string, style: Style, extra: Partial<SimBuyerInput> = {}): SimBuyerInput {
  return { key, style, bid: { min: 5, max: 20 }, callback: { delayMs: 0 }, callbackSecret: SECRET, ...extra };
}

function timersActive(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** How the platform would check a callback: recompute the HMAC over `${timestamp}.${body}`. */
function verifies(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('async posts with callbacks', () => {
  let sim: BuyerSim;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await startCallbackReceiver();
    sim = await startBuyerSim({ seed: 5 });
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answerWith(200, '{"ok":true}');
    sim.clearCallbacks();
  });

  async function pingFor(key: string): Promise<Record<string, unknown>> {
    return JSON.parse((await sendJson(`${sim.url}/buyers/${key}/ping`, PING_LEAD)).text);
  }

  it.each<[Style, (ref: string) => string]>([
    [
      'transaction-json',
      (ref) => JSON.stringify({ Success: false, Pending: true, TransactionId: ref, Message: 'Pending review' }),
    ],
    ['bid-json', (ref) => JSON.stringify({ status: 'pending', bid_id: ref })],
    ['auction-202', (ref) => JSON.stringify({ response: 'pending', leadAuctionId: ref })],
    ['rtb-expiry', (ref) => JSON.stringify({ result: 'pending', bidId: ref })],
    ['cents-flags', (ref) => JSON.stringify({ status: 'pending', lead_token: ref })],
  ])('%s: answers the post "pending" in its own shape', async (style, pending) => {
    const key = `pending-${style}`;
    sim.setBuyer(asyncBuyer(key, style));
    const refField = {
      'transaction-json': 'TransactionId',
      'bid-json': 'bid_id',
      'auction-202': 'leadAuctionId',
      'rtb-expiry': 'bidId',
      'cents-flags': 'lead_token',
    }[style as 'bid-json'];
    const ref = String((await pingFor(key))[refField]);
    const answer = await sendJson(`${sim.url}/buyers/${key}/post`, { [refField]: ref, callback_url: receiver.url });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(pending(ref));
    await until(() => sim.callbacks({ buyer: key }).length === 1);
  });

  it('xml-form and text-pipe: pending is code 2 and PENDING|id=…, the URL read from a form field', async () => {
    sim.setBuyer(asyncBuyer('pending-xml', 'xml-form'));
    sim.setBuyer(asyncBuyer('pending-text', 'text-pipe'));
    const xml = await sendForm(`${sim.url}/buyers/pending-xml/post`, { leadId: 'l1', callback_url: receiver.url });
    expect(xml.text).toMatch(/^<reply><code>2<\/code><id>xf-[\w-]+<\/id><\/reply>$/);
    const text = await sendForm(`${sim.url}/buyers/pending-text/post`, { leadId: 'l1', callback_url: receiver.url });
    expect(text.text).toMatch(/^PENDING\|id=tp-[\w-]+$/);
    await until(() => sim.callbacks().length === 2);
    const refs = [/<id>(.+)<\/id>/.exec(xml.text)![1], text.text.slice('PENDING|id='.length)];
    expect(new Set(sim.callbacks().map((c) => c.ref))).toEqual(new Set(refs));
  });

  it('calls back with {ref, status}, signed HMAC-SHA256 hex over `${timestamp}.${body}`', async () => {
    sim.setBuyer(asyncBuyer('signer', 'bid-json'));
    const { bid_id } = await pingFor('signer');
    const before = Math.floor(Date.now() / 1000);
    const pending = JSON.parse((await sendJson(`${sim.url}/buyers/signer/post`, { bid_id, callback_url: receiver.url })).text);
    expect(pending).toEqual({ status: 'pending', bid_id });
    await until(() => receiver.received.length === 1);

    const [got] = receiver.received;
    expect(got!.path).toBe('/callbacks');
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.body).toBe(JSON.stringify({ ref: bid_id, status: 'accepted' }));
    const timestamp = String(got!.headers['x-pingtree-timestamp']);
    const signature = String(got!.headers['x-pingtree-signature']);
    expect(timestamp).toMatch(/^\d{10}$/);
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(timestamp)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(verifies(SECRET, timestamp, got!.body, signature)).toBe(true);
    expect(verifies('another-secret', timestamp, got!.body, signature)).toBe(false);
    expect(verifies(SECRET, String(Number(timestamp) + 1), got!.body, signature)).toBe(false);

    await until(() => sim.callbacks({ buyer: 'signer' }).length === 1);
    expect(sim.callbacks({ buyer: 'signer' })[0]).toEqual({
      buyer: 'signer',
      url: receiver.url,
      ref: bid_id,
      status: 'accepted',
      attempt: 1,
      late: false,
      body: got!.body,
      timestamp,
      signature,
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      reply: { status: 200, body: '{"ok":true}' },
    });
  });

  it('calls back "rejected" with a reason for bid_then_reject (and for postRejectRate)', async () => {
    sim.setBuyer(asyncBuyer('fickle', 'rtb-expiry', { mode: 'bid_then_reject' }));
    sim.setBuyer(asyncBuyer('picky', 'cents-flags', { postRejectRate: 1 }));
    const { bidId } = await pingFor('fickle');
    expect(JSON.parse((await sendJson(`${sim.url}/buyers/fickle/post`, { bidId, callback_url: receiver.url })).text)).toEqual({
      result: 'pending',
      bidId,
    });
    const pickyAnswer = JSON.parse((await sendJson(`${sim.url}/buyers/picky/post`, { callback_url: receiver.url })).text);
    await until(() => sim.callbacks().length === 2);
    const bodies = receiver.received.map((r) => JSON.parse(r.body));
    expect(bodies).toContainEqual({ ref: bidId, status: 'rejected', reason: expect.any(String) });
    // A post-only sale gets a fresh id in the pending answer; the callback quotes it.
    expect(bodies).toContainEqual({ ref: pickyAnswer.lead_token, status: 'rejected', reason: expect.any(String) });
  });

  it('duplicate: sends the identical callback twice (same body, timestamp and signature)', async () => {
    sim.setBuyer(asyncBuyer('twice', 'bid-json', { callback: { delayMs: 10, duplicate: true } }));
    const { bid_id } = await pingFor('twice');
    await sendJson(`${sim.url}/buyers/twice/post`, { bid_id, callback_url: receiver.url });
    await until(() => sim.callbacks({ buyer: 'twice' }).length === 2);
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(second!.body).toBe(first!.body);
    expect(second!.headers['x-pingtree-timestamp']).toBe(first!.headers['x-pingtree-timestamp']);
    expect(second!.headers['x-pingtree-signature']).toBe(first!.headers['x-pingtree-signature']);
    expect(sim.callbacks({ buyer: 'twice' }).map((c) => c.attempt)).toEqual([1, 2]);
  });

  it('waits delayMs after the pending answer before calling back', async () => {
    sim.setBuyer(asyncBuyer('patient', 'bid-json', { callback: { delayMs: 250 } }));
    await sendJson(`${sim.url}/buyers/patient/post`, { callback_url: receiver.url });
    const answeredAt = performance.now();
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received).toHaveLength(0);
    expect(sim.scheduledCallbacks()).toBe(1);
    await until(() => sim.callbacks().length === 1);
    expect(performance.now() - answeredAt).toBeGreaterThanOrEqual(240);
  });

  it('records the status it got back, and a receiver it could not reach', async () => {
    sim.setBuyer(asyncBuyer('noted', 'bid-json'));
    receiver.answerWith(401, '{"error":"bad signature"}');
    await sendJson(`${sim.url}/buyers/noted/post`, { callback_url: receiver.url });
    await until(() => sim.callbacks({ buyer: 'noted' }).length === 1);
    expect(sim.callbacks({ buyer: 'noted' })[0]!.reply).toEqual({ status: 401, body: '{"error":"bad signature"}' });

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/cb`;
    await new Promise<void>((r) => closed.close(() => r()));
    await sendJson(`${sim.url}/buyers/noted/post`, { callback_url: deadUrl });
    await until(() => sim.callbacks({ buyer: 'noted' }).length === 2);
    expect(sim.callbacks({ buyer: 'noted' })[1]!.reply).toEqual({ error: expect.stringMatching(/ECONNREFUSED|refused/i) });

    const overHttp = JSON.parse((await send(`${sim.url}/_sim/callbacks?buyer=noted`, { method: 'GET' })).text);
    expect(overHttp).toEqual({ callbacks: sim.callbacks({ buyer: 'noted' }), scheduled: 0 });
    expect((await send(`${sim.url}/_sim/callbacks`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.callbacks()).toEqual([]);
  });

  it('refuses a post with no callback URL or a non-loopback one, without spending the bid', async () => {
    sim.setBuyer(asyncBuyer('strict', 'bid-json', { callbackUrlField: 'notify.url' }));
    const { bid_id } = await pingFor('strict');
    const post = async (body: object) => JSON.parse((await sendJson(`${sim.url}/buyers/strict/post`, body)).text);
    expect(await post({ bid_id, callback_url: receiver.url })).toEqual({ status: 'rejected', reason: 'missing notify.url' });
    expect(await post({ bid_id, notify: { url: 'https://platform.example/cb' } })).toEqual({
      status: 'rejected',
      reason: 'notify.url must be a loopback http URL',
    });
    expect(await post({ bid_id, notify: { url: receiver.url } })).toEqual({ status: 'pending', bid_id });
    await until(() => sim.callbacks().length === 1);
  });

  it('validates callback settings: a secret is required, and a long delay needs late: true', async () => {
    expect(() => sim.setBuyer({ key: 'x', style: 'bid-json', bid: { min: 1, max: 2 }, callback: { delayMs: 0 } })).toThrow(
      /callbackSecret/,
    );
    const put = await sendJson(
      `${sim.url}/_sim/buyers/x`,
      { style: 'bid-json', bid: { min: 1, max: 2 }, callback: { delayMs: 60_000 }, callbackSecret: SECRET },
      'PUT',
    );
    expect(put.status).toBe(400);
    expect(JSON.parse(put.text).issues).toContainEqual({ field: 'callback.delayMs', message: expect.stringMatching(/late/) });
    expect(
      sim.setBuyer({
        key: 'x',
        style: 'bid-json',
        bid: { min: 1, max: 2 },
        callback: { delayMs: 60_000, late: true },
        callbackSecret: SECRET,
      }).callback,
    ).toEqual({ delayMs: 60_000, late: true, duplicate: false });
  });

  it('close(): drops scheduled (late) callbacks and aborts ones in flight, leaving no timer behind', async () => {
    // A receiver that never answers, so a callback is in flight when the sim closes.
    const sockets = new Set<import('node:net').Socket>();
    const stuck: Server = createServer(() => undefined);
    stuck.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => stuck.listen(0, '127.0.0.1', r));
    const stuckUrl = `http://127.0.0.1:${(stuck.address() as AddressInfo).port}/cb`;

    const before = timersActive();
    const own = await startBuyerSim({
      buyers: [
        asyncBuyer('late-cb', 'bid-json', { callback: { delayMs: 120_000, late: true } }),
        asyncBuyer('stuck-cb', 'bid-json'),
      ],
    });
    await sendJson(`${own.url}/buyers/late-cb/post`, { callback_url: receiver.url });
    await sendJson(`${own.url}/buyers/stuck-cb/post`, { callback_url: stuckUrl });
    await until(() => sockets.size === 1);
    expect(own.scheduledCallbacks()).toBe(1);
    expect(timersActive()).toBeGreaterThan(before);

    const started = performance.now();
    await own.close();
    await own.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(own.callbacks()).toEqual([
      expect.objectContaining({ buyer: 'stuck-cb', reply: { error: expect.stringMatching(/abort/i) } }),
    ]);
    expect(own.scheduledCallbacks()).toBe(0);
    expect(timersActive()).toBeLessThanOrEqual(before);
    expect(receiver.received).toHaveLength(0);

    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => stuck.close(() => r()));
  });
});
