import { pick } from '../prng';
import { type BuyerStyle, json, JSON_TYPE, parseJsonObject } from './style';

const PING_REJECT_REASONS = ['No fill', 'Bid too low'] as const;

/**
 * RTB-style bids that expire: `{"result":"bid","bidId","price","expireInSeconds"}`. A post quoting
 * the bid after it expired is refused with "bid expired".
 */
export const rtbExpiry: BuyerStyle = {
  style: 'rtb-expiry',
  idPrefix: 'rtb',
  refField: 'bidId',
  contentType: JSON_TYPE,
  defaultExpireInSeconds: 30,
  parseRequest: parseJsonObject,
  pingAccepted: ({ id, price, expireInSeconds }) =>
    json(200, { result: 'bid', bidId: id, price, currency: 'USD', expireInSeconds }),
  pingRejected: (rng) => json(200, { result: 'no_bid', reason: pick(rng, PING_REJECT_REASONS) }),
  postAccepted: (id) => json(200, { result: 'sold', bidId: id }),
  postRejected: (reason) => json(200, { result: 'refused', reason }),
  postPending: (id) => json(200, { result: 'pending', bidId: id }),
  badRequest: (reason) => json(400, { result: 'error', reason }),
  garbage: () => ({ status: 200, contentType: JSON_TYPE, body: '{"result":"bid","bidId":"rtb-0","price":' }),
};
