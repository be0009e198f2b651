import type { SimBuyerInput, Style } from './sim-buyer';
import { type BuyerSim, startBuyerSim } from './sim-server';
import { PING_FORM, PING_LEAD, send, sendForm, sendJson } from './test/sim-client';

function buyer(key: string, style: Style, extra: Partial<SimBuyerInput> = {}): SimBuyerInput {
  return { key, style, bid: { min: 5, max: 20 }, ...extra };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('market styles: rtb-expiry, cents-flags, text-pipe', () => {
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({
      seed: 11,
      buyers: [
        buyer('rtb', 'rtb-expiry'),
        buyer('rtb-short', 'rtb-expiry', { expireInSeconds: 0.2 }),
        buyer('rtb-no', 'rtb-expiry', { pingRejectRate: 1, postRejectRate: 1 }),
        buyer('tx-short', 'transaction-json', { expireInSeconds: 0.2 }),
        buyer('cents', 'cents-flags'),
        buyer('cents-no', 'cents-flags', { pingRejectRate: 1, postRejectRate: 1 }),
        buyer('text', 'text-pipe'),
        buyer('text-no', 'text-pipe', { pingRejectRate: 1, postRejectRate: 1 }),
      ],
    });
  });

  afterAll(() => sim.close());

  const ping = async (key: string) => JSON.parse((await sendJson(`${sim.url}/buyers/${key}/ping`, PING_LEAD)).text);
  const post = async (key: string, body: object) => JSON.parse((await sendJson(`${sim.url}/buyers/${key}/post`, body)).text);

  describe('rtb-expiry', () => {
    it('bids with bidId, price and expireInSeconds (30 by default), and sells to the post quoting bidId', async () => {
      const bid = await ping('rtb');
      expect(bid).toEqual({
        result: 'bid',
        bidId: expect.stringMatching(/^rtb-/),
        price: expect.any(Number),
        currency: 'USD',
        expireInSeconds: 30,
      });
      expect(await post('rtb', { bidId: bid.bidId })).toEqual({ result: 'sold', bidId: bid.bidId });
    });

    it('refuses a post after the bid expired, with the reason, and keeps refusing it', async () => {
      const bid = await ping('rtb-short');
      expect(bid.expireInSeconds).toBe(0.2);
      await sleep(300);
      expect(await post('rtb-short', { bidId: bid.bidId })).toEqual({ result: 'refused', reason: 'bid expired' });
      expect(await post('rtb-short', { bidId: bid.bidId })).toEqual({ result: 'refused', reason: 'bid expired' });
      // A post inside the lifetime still sells.
      const fresh = await ping('rtb-short');
      expect(await post('rtb-short', { bidId: fresh.bidId })).toMatchObject({ result: 'sold' });
    });

    it('enforces a buyer-set lifetime silently in other styles', async () => {
      const { TransactionId, ...rest } = await ping('tx-short');
      expect(rest).not.toHaveProperty('expireInSeconds');
      await sleep(300);
      expect(await post('tx-short', { TransactionId })).toEqual({ Success: false, Message: 'Rejected: bid expired' });
    });

    it('rejects pings with no_bid and posts with refused, each with a reason', async () => {
      expect(await ping('rtb-no')).toEqual({ result: 'no_bid', reason: expect.any(String) });
      expect(await post('rtb-no', {})).toEqual({ result: 'refused', reason: expect.any(String) });
      expect(await post('rtb', { bidId: 'rtb-never' })).toEqual({ result: 'refused', reason: 'unknown transaction' });
    });
  });

  describe('cents-flags', () => {
    it('prices in integer cents and spells "accepted" as "accepted", 1 or "1"', async () => {
      const flags = new Set<unknown>();
      for (let i = 0; i < 30; i++) {
        const bid = await ping('cents');
        expect(bid).toEqual({
          status: expect.anything(),
          price_cents: expect.any(Number),
          lead_token: expect.stringMatching(/^cf-/),
        });
        expect(Number.isInteger(bid.price_cents)).toBe(true);
        expect(bid.price_cents).toBeGreaterThanOrEqual(500);
        expect(bid.price_cents).toBeLessThanOrEqual(2000);
        flags.add(bid.status);
      }
      expect(flags).toEqual(new Set([1, '1', 'accepted']));
    });

    it('puts reject reasons in msg or in error.detail, with "rejected", 0 or "0"', async () => {
      const shapes = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const answer = await ping('cents-no');
        expect(['rejected', 0, '0']).toContain(answer.status);
        if ('msg' in answer) {
          expect(answer).toEqual({ status: answer.status, msg: expect.any(String) });
          shapes.add('msg');
        } else {
          expect(answer).toEqual({ status: answer.status, error: { code: 'REJECTED', detail: expect.any(String) } });
          shapes.add('error.detail');
        }
      }
      expect(shapes.size).toBe(2);
    });

    it('accepts the post carrying lead_token; refuses unknown tokens and rejects by rate', async () => {
      const { lead_token } = await ping('cents');
      const sold = await post('cents', { lead_token });
      expect(sold).toEqual({ status: expect.anything(), lead_token });
      expect(['accepted', 1, '1']).toContain(sold.status);
      const unknown = await post('cents', { lead_token: 'cf-never' });
      expect(unknown.msg ?? unknown.error.detail).toBe('unknown transaction');
      const refused = await post('cents-no', {});
      expect(['rejected', 0, '0']).toContain(refused.status);
    });

    it('answers 400 with error.detail to a body it cannot read', async () => {
      const answer = await send(`${sim.url}/buyers/cents/ping`, { body: 'nope', contentType: 'application/json' });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({ status: 'error', error: { code: 'BAD_REQUEST', detail: expect.any(String) } });
    });
  });

  describe('text-pipe', () => {
    const pingText = (key: string) => sendForm(`${sim.url}/buyers/${key}/ping`, PING_FORM);
    const postText = (key: string, fields: Record<string, string>) => sendForm(`${sim.url}/buyers/${key}/post`, fields);

    it('answers one plain-text line ACCEPT|price=…|id=…, and ACCEPT|id=… to the post quoting ref', async () => {
      const answer = await pingText('text');
      expect(answer.status).toBe(200);
      expect(answer.contentType).toContain('text/plain');
      const match = /^ACCEPT\|price=(\d+\.\d{2})\|id=(tp-[\w-]+)$/.exec(answer.text);
      expect(match).not.toBeNull();
      const [, price, id] = match!;
      expect(Number(price)).toBeGreaterThanOrEqual(5);
      expect(Number(price)).toBeLessThanOrEqual(20);
      expect((await postText('text', { ref: id!, leadId: 'l1' })).text).toBe(`ACCEPT|id=${id}`);
    });

    it('rejects pings and posts with REJECT|reason=…', async () => {
      expect((await pingText('text-no')).text).toBe('REJECT|reason=Not buying in this area');
      expect((await postText('text', { ref: 'tp-never' })).text).toBe('REJECT|reason=unknown transaction');
      expect((await postText('text-no', { leadId: 'l2' })).text).toMatch(/^REJECT\|reason=\w/);
    });

    it('hides garbage behind a 200 HTML "thank you" page with no verdict line', async () => {
      sim.setBuyer(buyer('text-garbage', 'text-pipe', { mode: 'garbage' }));
      const answer = await pingText('text-garbage');
      expect(answer.status).toBe(200);
      expect(answer.contentType).toContain('text/html');
      expect(answer.text).not.toMatch(/^(ACCEPT|REJECT|PENDING|ERROR)\|/);
    });
  });

  it('records the raw body of every style, so a test can scan it for contact data', async () => {
    const phone = '+14155550199';
    const email = 'ada.scan@example.com';
    const styles: Array<[string, 'json' | 'form']> = [
      ['rtb', 'json'],
      ['cents', 'json'],
      ['text', 'form'],
    ];
    sim.setBuyer(buyer('tx', 'transaction-json'));
    sim.setBuyer(buyer('bid', 'bid-json'));
    sim.setBuyer(buyer('auction', 'auction-202'));
    sim.setBuyer(buyer('xml', 'xml-form'));
    styles.push(['tx', 'json'], ['bid', 'json'], ['auction', 'json'], ['xml', 'form']);
    sim.clearRequests();
    for (const [key, format] of styles) {
      const url = `${sim.url}/buyers/${key}/post`;
      if (format === 'json') await sendJson(url, { leadId: 'l9', contact: { phone, email } });
      else await sendForm(url, { leadId: 'l9', 'contact.phone': phone, 'contact.email': email });
    }
    const posts = sim.requests({ kind: 'post' });
    expect(posts.map((r) => r.buyer).sort()).toEqual(styles.map(([key]) => key).sort());
    for (const recorded of posts) {
      const raw = recorded.rawBody.includes('%40') ? decodeURIComponent(recorded.rawBody) : recorded.rawBody;
      expect(raw).toContain(phone);
      expect(raw).toContain(email);
    }
  });
});
