import { pick } from '../prng';
import { type BuyerStyle, json, JSON_TYPE, parseJsonObject, thanksUrl } from './style';

const PING_REJECT_REASONS = ['Bid too low', 'Outside coverage area'] as const;

/** `{"status":"bid","bid_id","price"}` pings; the post carries `bid_id`. */
export const bidJson: BuyerStyle = {
  style: 'bid-json',
  idPrefix: 'bid',
  refField: 'bid_id',
  contentType: JSON_TYPE,
  parseRequest: parseJsonObject,
  pingAccepted: ({ id, price }) => json(200, { status: 'bid', bid_id: id, price }),
  pingRejected: (rng) => json(200, { status: 'reject', reason: pick(rng, PING_REJECT_REASONS) }),
  postAccepted: (id) => json(200, { status: 'accepted', redirect_url: thanksUrl(id) }),
  postRejected: (reason) => json(200, { status: 'rejected', reason }),
  postPending: (id) => json(200, { status: 'pending', bid_id: id }),
  badRequest: (reason) => json(400, { status: 'error', reason }),
  garbage: () => ({ status: 200, contentType: JSON_TYPE, body: '{"status":"bid","bid_id":"bid-0",,"price":12.5' }),
};
