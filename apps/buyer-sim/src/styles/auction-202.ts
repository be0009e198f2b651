import { chance, pick } from '../prng';
import { type BuyerStyle, json, JSON_TYPE, parseJsonObject } from './style';

const PING_REJECT_REASONS = ['Not interested', 'Outside coverage area'] as const;

/**
 * `{"response","leadAuctionId","bid"}` pings with the price as a string. This buyer signals
 * "quota reached" with HTTP 202, which is half of its rejects.
 */
export const auction202: BuyerStyle = {
  style: 'auction-202',
  idPrefix: 'la',
  refField: 'leadAuctionId',
  contentType: JSON_TYPE,
  parseRequest: parseJsonObject,
  pingAccepted: ({ id, price }) => json(200, { response: 'accepted', leadAuctionId: id, bid: price.toFixed(2) }),
  pingRejected: (rng) =>
    chance(rng, 0.5)
      ? json(202, { response: 'quota reached' })
      : json(200, { response: 'rejected', reason: pick(rng, PING_REJECT_REASONS) }),
  postAccepted: () => json(200, { response: 'accepted' }),
  postRejected: (reason) => json(200, { response: 'rejected', reason }),
  postPending: (id) => json(200, { response: 'pending', leadAuctionId: id }),
  badRequest: (reason) => json(400, { response: 'error', reason }),
  garbage: () => ({ status: 200, contentType: JSON_TYPE, body: '{"response":"accepted","leadAuctionId":' }),
};
