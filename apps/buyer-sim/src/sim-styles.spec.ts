import { XMLParser } from 'fast-xml-parser';
import type { SimBuyerInput, Style } from './sim-buyer';
import { type BuyerSim, startBuyerSim } from './sim-server';
import { PING_FORM, PING_LEAD, send, sendForm, sendJson } from './test/sim-client';

const xml = new XMLParser();

function buyer(key: string, style: Style, extra: Partial<SimBuyerInput> = {}): SimBuyerInput {
  return { key, style, bid: { min: 5, max: 20 }, ...extra };
}

function isCents(n: number): boolean {
  return Math.abs(Math.round(n * 100) - n * 100) < 1e-9;
}

describe('buyer styles over HTTP', () => {
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({
      seed: 7,
      buyers: [
        buyer('tx', 'transaction-json'),
        buyer('tx-no', 'transaction-json', { pingRejectRate: 1, postRejectRate: 1 }),
        buyer('bid', 'bid-json'),
        buyer('bid-no', 'bid-json', { pingRejectRate: 1, postRejectRate: 1 }),
        buyer('auction', 'auction-202'),
        buyer('auction-no', 'auction-202', { pingRejectRate: 1, postRejectRate: 1 }),
        buyer('xml', 'xml-form'),
        buyer('xml-no', 'xml-form', { pingRejectRate: 1, postRejectRate: 1 }),
      ],
    });
  });

  afterAll(() => sim.close());

  const ping = (key: string) => sendJson(`${sim.url}/buyers/${key}/ping`, PING_LEAD);
  const post = (key: string, body: object) => sendJson(`${sim.url}/buyers/${key}/post`, body);

  describe('transaction-json', () => {
    it('accepts a ping with a TransactionId and a Payout in cents, then accepts the post quoting it', async () => {
      const answer = await ping('tx');
      expect(answer.status).toBe(200);
      expect(answer.contentType).toContain('application/json');
      const body = JSON.parse(answer.text);
      expect(body).toEqual({ TransactionId: expect.stringMatching(/^tx-/), Success: true, Payout: expect.any(Number) });
      expect(body.Payout).toBeGreaterThanOrEqual(5);
      expect(body.Payout).toBeLessThanOrEqual(20);
      expect(isCents(body.Payout)).toBe(true);

      const sold = JSON.parse((await post('tx', { TransactionId: body.TransactionId, leadId: 'l1' })).text);
      expect(sold).toEqual({
        Success: true,
        Message: 'Accepted',
        RedirectUrl: `https://buyer.example/thanks/${body.TransactionId}`,
      });
    });

    it('rejects a post quoting an id it never issued, and a second post of the same id', async () => {
      const unknown = JSON.parse((await post('tx', { TransactionId: 'tx-made-up' })).text);
      expect(unknown).toEqual({ Success: false, Message: 'Rejected: unknown transaction' });

      const { TransactionId } = JSON.parse((await ping('tx')).text);
      expect(JSON.parse((await post('tx', { TransactionId })).text).Success).toBe(true);
      expect(JSON.parse((await post('tx', { TransactionId })).text)).toEqual({
        Success: false,
        Message: 'Rejected: transaction already posted',
      });
    });

    it('judges a post-only sale (no id) by postRejectRate alone', async () => {
      expect(JSON.parse((await post('tx', { leadId: 'l2' })).text).Success).toBe(true);
      expect(JSON.parse((await post('tx-no', { leadId: 'l2' })).text)).toEqual({
        Success: false,
        Message: expect.stringMatching(/^Rejected: /),
      });
    });

    it('rejects a ping with Message and Errors', async () => {
      const body = JSON.parse((await ping('tx-no')).text);
      expect(body).toEqual({ Success: false, Message: expect.any(String), Errors: [body.Message] });
      expect(['Duplicate', 'Bid too low']).toContain(body.Message);
    });

    it('answers 400 to a body that is not a JSON object', async () => {
      for (const body of ['not json{', '["an","array"]']) {
        const answer = await send(`${sim.url}/buyers/tx/ping`, { body, contentType: 'application/json' });
        expect(answer.status).toBe(400);
        expect(JSON.parse(answer.text)).toMatchObject({ Success: false, Message: 'Invalid request' });
      }
    });
  });

  describe('bid-json', () => {
    it('bids with a bid_id and a numeric price, and accepts the post carrying bid_id', async () => {
      const body = JSON.parse((await ping('bid')).text);
      expect(body).toEqual({ status: 'bid', bid_id: expect.stringMatching(/^bid-/), price: expect.any(Number) });
      expect(isCents(body.price)).toBe(true);

      const sold = JSON.parse((await post('bid', { bid_id: body.bid_id })).text);
      expect(sold).toEqual({ status: 'accepted', redirect_url: `https://buyer.example/thanks/${body.bid_id}` });
    });

    it('rejects pings and posts with a reason', async () => {
      const pingReject = JSON.parse((await ping('bid-no')).text);
      expect(pingReject).toEqual({ status: 'reject', reason: expect.any(String) });

      const { bid_id } = JSON.parse((await ping('bid')).text);
      sim.setBuyer(buyer('bid', 'bid-json', { postRejectRate: 1 }));
      const postReject = JSON.parse((await post('bid', { bid_id })).text);
      sim.setBuyer(buyer('bid', 'bid-json'));
      expect(postReject).toEqual({ status: 'rejected', reason: expect.any(String) });
      expect(JSON.parse((await post('bid', { bid_id: 'bid-nope' })).text)).toEqual({
        status: 'rejected',
        reason: 'unknown transaction',
      });
    });
  });

  describe('auction-202', () => {
    it('accepts with a leadAuctionId and a string bid, and accepts the post quoting it', async () => {
      const body = JSON.parse((await ping('auction')).text);
      expect(body).toEqual({
        response: 'accepted',
        leadAuctionId: expect.stringMatching(/^la-/),
        bid: expect.stringMatching(/^\d+\.\d{2}$/),
      });
      const sold = await post('auction', { leadAuctionId: body.leadAuctionId });
      expect(JSON.parse(sold.text)).toEqual({ response: 'accepted' });
    });

    it('says "quota reached" with HTTP 202 on about half of its rejects, and rejects with a reason otherwise', async () => {
      const answers = await Promise.all(Array.from({ length: 40 }, () => ping('auction-no')));
      const quota = answers.filter((a) => a.status === 202);
      const rejected = answers.filter((a) => a.status === 200);
      expect(quota.length + rejected.length).toBe(40);
      expect(quota.length).toBeGreaterThan(5);
      expect(rejected.length).toBeGreaterThan(5);
      for (const a of quota) expect(JSON.parse(a.text)).toEqual({ response: 'quota reached' });
      for (const a of rejected) expect(JSON.parse(a.text)).toEqual({ response: 'rejected', reason: expect.any(String) });
    });

    it('rejects a post with a reason', async () => {
      const answer = JSON.parse((await post('auction-no', {})).text);
      expect(answer).toEqual({ response: 'rejected', reason: expect.any(String) });
    });
  });

  describe('xml-form', () => {
    const pingForm = (key: string) => sendForm(`${sim.url}/buyers/${key}/ping`, PING_FORM);
    const postForm = (key: string, fields: Record<string, string>) => sendForm(`${sim.url}/buyers/${key}/post`, fields);

    it('reads a form body and answers XML with code 1, an id and a payout; the post quoting id is accepted', async () => {
      const answer = await pingForm('xml');
      expect(answer.contentType).toContain('application/xml');
      const { reply } = xml.parse(answer.text);
      expect(reply.code).toBe(1);
      expect(reply.id).toMatch(/^xf-/);
      expect(typeof reply.payout).toBe('number');
      expect(reply.payout).toBeGreaterThanOrEqual(5);

      const sold = xml.parse((await postForm('xml', { id: reply.id, leadId: 'l1' })).text);
      expect(sold).toEqual({ reply: { code: 1, id: reply.id } });
    });

    it('nests dot keys of the form body when recording it', async () => {
      sim.clearRequests();
      await pingForm('xml');
      const [recorded] = sim.requests({ buyer: 'xml', kind: 'ping' });
      expect(recorded?.body).toEqual({ leadId: PING_LEAD.leadId, state: 'CA', zip: '94105', fields: { insured: 'true' } });
    });

    it('declines with code 0 and payout 0, rejects posts with code 0 and a reason', async () => {
      expect(xml.parse((await pingForm('xml-no')).text)).toEqual({
        reply: { code: 0, payout: 0, reason: 'Not interested' },
      });
      expect(xml.parse((await postForm('xml', { id: 'xf-never' })).text)).toEqual({
        reply: { code: 0, reason: 'unknown transaction' },
      });
      expect(xml.parse((await postForm('xml-no', { leadId: 'l3' })).text)).toEqual({
        reply: { code: 0, reason: expect.any(String) },
      });
    });
  });

  it('gives the same bids for the same seed', async () => {
    const bids = async (): Promise<number[]> => {
      const other = await startBuyerSim({ seed: 99, buyers: [buyer('b', 'bid-json')], recordRequests: false });
      try {
        const prices: number[] = [];
        for (let i = 0; i < 5; i++) prices.push(JSON.parse((await sendJson(`${other.url}/buyers/b/ping`, PING_LEAD)).text).price);
        return prices;
      } finally {
        await other.close();
      }
    };
    const first = await bids();
    expect(await bids()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
  });
});
