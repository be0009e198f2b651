import { pick } from '../prng';
import { type BuyerStyle, json, JSON_TYPE, parseJsonObject, thanksUrl } from './style';

const PING_REJECT_REASONS = ['Duplicate', 'Bid too low'] as const;

/** `{"TransactionId","Success","Payout"}` pings; the post quotes `TransactionId`. */
export const transactionJson: BuyerStyle = {
  style: 'transaction-json',
  idPrefix: 'tx',
  refField: 'TransactionId',
  contentType: JSON_TYPE,
  parseRequest: parseJsonObject,
  pingAccepted: ({ id, price }) => json(200, { TransactionId: id, Success: true, Payout: price }),
  pingRejected: (rng) => {
    const reason = pick(rng, PING_REJECT_REASONS);
    return json(200, { Success: false, Message: reason, Errors: [reason] });
  },
  postAccepted: (id) => json(200, { Success: true, Message: 'Accepted', RedirectUrl: thanksUrl(id) }),
  postRejected: (reason) => json(200, { Success: false, Message: `Rejected: ${reason}` }),
  // Success stays false so a reader without a pending rule never takes it for a sale.
  postPending: (id) => json(200, { Success: false, Pending: true, TransactionId: id, Message: 'Pending review' }),
  badRequest: (reason) => json(400, { Success: false, Message: 'Invalid request', Errors: [reason] }),
  garbage: () => ({ status: 200, contentType: JSON_TYPE, body: '{"TransactionId":"tx-0","Success":tru' }),
};
