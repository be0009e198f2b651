import { chance, pick, type Rng } from '../prng';
import { type BuyerStyle, json, JSON_TYPE, parseJsonObject, type SimAnswer } from './style';

const PING_REJECT_REASONS = ['Bid too low', 'Duplicate lead'] as const;

// The same buyer words "yes" and "no" differently from one answer to the next.
type Flag = string | number;
const ACCEPT_FLAGS: readonly [Flag, ...Flag[]] = ['accepted', 1, '1'];
const REJECT_FLAGS: readonly [Flag, ...Flag[]] = ['rejected', 0, '0'];

/**
 * Prices in integer cents (`price_cents`), a `status` flag that is "accepted", 1 or "1" (and
 * "rejected", 0 or "0"), and the reason either in `msg` or in `error.detail`. The post carries
 * `lead_token`.
 */
export const centsFlags: BuyerStyle = {
  style: 'cents-flags',
  idPrefix: 'cf',
  refField: 'lead_token',
  contentType: JSON_TYPE,
  parseRequest: parseJsonObject,
  pingAccepted: ({ id, price }, rng) =>
    json(200, { status: pick(rng, ACCEPT_FLAGS), price_cents: Math.round(price * 100), lead_token: id }),
  pingRejected: (rng) => rejected(pick(rng, PING_REJECT_REASONS), rng),
  postAccepted: (id, rng) => json(200, { status: pick(rng, ACCEPT_FLAGS), lead_token: id }),
  postRejected: (reason, rng) => rejected(reason, rng),
  postPending: (id) => json(200, { status: 'pending', lead_token: id }),
  badRequest: (reason) => json(400, { status: 'error', error: { code: 'BAD_REQUEST', detail: reason } }),
  garbage: () => ({ status: 200, contentType: JSON_TYPE, body: '{"status":1,"price_cents":12' }),
};

function rejected(reason: string, rng: Rng): SimAnswer {
  const status = pick(rng, REJECT_FLAGS);
  return chance(rng, 0.5)
    ? json(200, { status, msg: reason })
    : json(200, { status, error: { code: 'REJECTED', detail: reason } });
}
