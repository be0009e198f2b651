import { RequestLog, type RecordedRequest } from './request-log';
import type { SimBuyerInput } from './sim-buyer';
import { type BuyerSim, startBuyerSim } from './sim-server';
import { PING_LEAD, send, sendJson } from './test/sim-client';

const BUYER: SimBuyerInput = { key: 'acme', style: 'transaction-json', bid: { min: 5, max: 9 } };

describe('admin routes', () => {
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({ buyers: [BUYER] });
  });

  afterAll(() => sim.close());

  beforeEach(() => sim.clearRequests());

  it('PUT /_sim/buyers/:key adds a buyer with defaults filled, GET lists it', async () => {
    const put = await sendJson(`${sim.url}/_sim/buyers/bidder`, { style: 'bid-json', bid: { min: 1, max: 2 } }, 'PUT');
    expect(put.status).toBe(200);
    expect(JSON.parse(put.text)).toEqual({
      key: 'bidder',
      style: 'bid-json',
      bid: { min: 1, max: 2 },
      pingRejectRate: 0,
      postRejectRate: 0,
      latencyMs: { min: 0, max: 0 },
      mode: 'normal',
    });
    const list = JSON.parse((await send(`${sim.url}/_sim/buyers`, { method: 'GET' })).text);
    expect(list.buyers.map((b: { key: string }) => b.key)).toEqual(['acme', 'bidder']);
    expect(JSON.parse((await sendJson(`${sim.url}/buyers/bidder/ping`, PING_LEAD)).text).status).toBe('bid');
  });

  it('PUT answers 400 naming the field that is wrong', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...BUYER, bid: { min: 9, max: 5 } }, 'bid.max'],
      [{ ...BUYER, pingRejectRate: 1.5 }, 'pingRejectRate'],
      [{ ...BUYER, style: 'soap' }, 'style'],
      [{ ...BUYER, mode: 'sleepy' }, 'mode'],
      [{ ...BUYER, key: 'other' }, 'key'],
      [{ ...BUYER, extra: true }, ''],
    ];
    for (const [body, field] of cases) {
      const answer = await sendJson(`${sim.url}/_sim/buyers/acme`, body, 'PUT');
      expect(answer.status).toBe(400);
      const { issues } = JSON.parse(answer.text);
      expect(issues.map((i: { field: string }) => i.field)).toContain(field);
    }
    const notJson = await send(`${sim.url}/_sim/buyers/acme`, { method: 'PUT', body: '{oops' });
    expect(notJson.status).toBe(400);
    // Nothing above replaced the buyer.
    expect(sim.requests()).toEqual([]);
    expect(JSON.parse((await send(`${sim.url}/_sim/buyers`, { method: 'GET' })).text).buyers[0]).toMatchObject(BUYER);
  });

  it('records calls with headers, raw and parsed body, and filters them by buyer and kind', async () => {
    sim.setBuyer({ key: 'other', style: 'bid-json', bid: { min: 1, max: 2 } });
    await sendJson(`${sim.url}/buyers/acme/ping`, PING_LEAD);
    const { TransactionId } = JSON.parse((await sendJson(`${sim.url}/buyers/acme/ping`, PING_LEAD)).text);
    await sendJson(`${sim.url}/buyers/acme/post`, { TransactionId });
    await sendJson(`${sim.url}/buyers/other/ping`, PING_LEAD);

    expect(sim.requests()).toHaveLength(4);
    expect(sim.requests({ buyer: 'acme' })).toHaveLength(3);
    expect(sim.requests({ buyer: 'acme', kind: 'ping' })).toHaveLength(2);
    const [posted] = sim.requests({ kind: 'post' });
    expect(posted).toEqual<RecordedRequest>({
      buyer: 'acme',
      kind: 'post',
      method: 'POST',
      headers: expect.objectContaining({ 'content-type': 'application/json' }),
      rawBody: JSON.stringify({ TransactionId }),
      body: { TransactionId },
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const overHttp = await send(`${sim.url}/_sim/requests?buyer=acme&kind=ping`, { method: 'GET' });
    const { requests } = JSON.parse(overHttp.text);
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ buyer: 'acme', kind: 'ping', body: PING_LEAD });
    expect((await send(`${sim.url}/_sim/requests?kind=pong`, { method: 'GET' })).status).toBe(400);

    expect((await send(`${sim.url}/_sim/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.requests()).toEqual([]);
  });

  it('records a body it cannot read with body null', async () => {
    await send(`${sim.url}/buyers/acme/ping`, { body: 'nope', contentType: 'application/json' });
    expect(sim.requests()[0]).toMatchObject({ rawBody: 'nope', body: null });
  });

  it('answers 404 JSON for an unknown buyer or route, 405 for a wrong method', async () => {
    const unknown = await sendJson(`${sim.url}/buyers/nobody/ping`, PING_LEAD);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual({ error: 'unknown buyer', buyer: 'nobody' });
    expect((await send(`${sim.url}/elsewhere`, { method: 'GET' })).status).toBe(404);
    expect((await send(`${sim.url}/buyers/acme/ping`, { method: 'GET' })).status).toBe(405);
    expect(sim.requests()).toEqual([]);
  });

  it('answers 413 to a body over 1 MB and 400 to a malformed buyer path, and keeps serving', async () => {
    const big = await send(`${sim.url}/buyers/acme/ping`, { body: 'x'.repeat(1024 * 1024 + 1), contentType: 'text/plain' });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text)).toEqual({ error: 'request body over 1048576 bytes' });
    const malformed = await sendJson(`${sim.url}/buyers/%E0%A4%A/ping`, PING_LEAD);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toEqual({ error: 'malformed URL' });
    expect(JSON.parse((await sendJson(`${sim.url}/buyers/acme/ping`, PING_LEAD)).text).Success).toBe(true);
    expect(sim.requests().map((r) => r.rawBody.length)).toEqual([JSON.stringify(PING_LEAD).length]);
  });

  it('records nothing when recordRequests is false', async () => {
    const quiet = await startBuyerSim({ buyers: [BUYER], recordRequests: false });
    try {
      await sendJson(`${quiet.url}/buyers/acme/ping`, PING_LEAD);
      expect(quiet.requests()).toEqual([]);
    } finally {
      await quiet.close();
    }
  });

  it('setBuyer() refuses an invalid buyer', () => {
    expect(() => sim.setBuyer({ ...BUYER, style: 'transaction-json', latencyMs: { min: 5, max: 1 } })).toThrow(/latencyMs/);
  });
});

describe('RequestLog', () => {
  it('keeps only the newest entries, oldest first', () => {
    const log = new RequestLog(3);
    for (let i = 0; i < 5; i++) {
      log.add({ buyer: `b${i}`, kind: 'ping', method: 'POST', headers: {}, rawBody: '', body: null, receivedAt: '' });
    }
    expect(log.list().map((r) => r.buyer)).toEqual(['b2', 'b3', 'b4']);
    log.clear();
    expect(log.list()).toEqual([]);
  });
});
