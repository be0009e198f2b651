import type { BuyerCall, ResponseRules } from '@pingtree/contracts';
import type { Style } from './sim-buyer';

export interface SimChannelCalls {
  ping: BuyerCall;
  post: BuyerCall;
}

type ResponseReading = Omit<ResponseRules, 'statusMap'> & Partial<Pick<ResponseRules, 'statusMap'>>;

/**
 * The pingtree channel config (how to call, how to read the answer) for a simulated buyer, so a
 * demo or test can wire a channel to `startBuyerSim()` without knowing each protocol.
 * Type-only import of contracts keeps buyer-sim runnable on its own.
 */
export function simChannelCalls(
  baseUrl: string,
  buyerKey: string,
  style: Style,
  options: { asyncPost?: boolean } = {},
): SimChannelCalls {
  const calls = presetCalls(baseUrl, buyerKey, style);
  if (options.asyncPost) return calls;
  // Reading "pending" needs the channel's asyncPost (callback secret); without it the post is synchronous.
  const { pending: _pending, ...response } = calls.post.response;
  return { ...calls, post: { ...calls.post, response } };
}

function presetCalls(baseUrl: string, buyerKey: string, style: Style): SimChannelCalls {
  const base = `${baseUrl.replace(/\/+$/, '')}/buyers/${encodeURIComponent(buyerKey)}`;
  const ping = `${base}/ping`;
  const post = `${base}/post`;
  switch (style) {
    case 'transaction-json':
      return {
        ping: call(ping, 'json', 'TransactionId', {
          format: 'json',
          accept: { path: 'Success', values: ['true'] },
          price: { path: 'Payout', unit: 'dollars' },
          buyerRef: { path: 'TransactionId' },
          reason: { paths: ['Message'] },
        }),
        post: call(post, 'json', 'TransactionId', {
          format: 'json',
          accept: { path: 'Success', values: ['true'] },
          pending: { path: 'Pending', values: ['true'] },
          buyerRef: { path: 'TransactionId' },
          reason: { paths: ['Message'] },
          redirectUrl: { path: 'RedirectUrl' },
        }),
      };
    case 'bid-json':
      return {
        ping: call(ping, 'json', 'bid_id', {
          format: 'json',
          accept: { path: 'status', values: ['bid'] },
          price: { path: 'price', unit: 'dollars' },
          buyerRef: { path: 'bid_id' },
          reason: { paths: ['reason'] },
        }),
        post: call(post, 'json', 'bid_id', {
          format: 'json',
          accept: { path: 'status', values: ['accepted'] },
          pending: { path: 'status', values: ['pending'] },
          buyerRef: { path: 'bid_id' },
          reason: { paths: ['reason'] },
          redirectUrl: { path: 'redirect_url' },
        }),
      };
    case 'auction-202':
      return {
        ping: call(ping, 'json', 'leadAuctionId', {
          format: 'json',
          accept: { path: 'response', values: ['accepted'] },
          price: { path: 'bid', unit: 'dollars' },
          buyerRef: { path: 'leadAuctionId' },
          // A 202 carries only {"response":"quota reached"}, so the reason falls back to `response`.
          reason: { paths: ['reason', 'response'] },
          statusMap: { '202': 'reject' },
        }),
        post: call(post, 'json', 'leadAuctionId', {
          format: 'json',
          accept: { path: 'response', values: ['accepted'] },
          pending: { path: 'response', values: ['pending'] },
          buyerRef: { path: 'leadAuctionId' },
          reason: { paths: ['reason', 'response'] },
        }),
      };
    case 'xml-form':
      return {
        ping: call(ping, 'form', 'id', {
          format: 'xml',
          accept: { path: 'reply.code', values: ['1'] },
          price: { path: 'reply.payout', unit: 'dollars' },
          buyerRef: { path: 'reply.id' },
          reason: { paths: ['reply.reason'] },
        }),
        post: call(post, 'form', 'id', {
          format: 'xml',
          accept: { path: 'reply.code', values: ['1'] },
          pending: { path: 'reply.code', values: ['2'] },
          buyerRef: { path: 'reply.id' },
          reason: { paths: ['reply.reason'] },
        }),
      };
    case 'rtb-expiry':
      return {
        ping: call(ping, 'json', 'bidId', {
          format: 'json',
          accept: { path: 'result', values: ['bid'] },
          price: { path: 'price', unit: 'dollars' },
          buyerRef: { path: 'bidId' },
          reason: { paths: ['reason'] },
          expiresInSeconds: { path: 'expireInSeconds' },
        }),
        post: call(post, 'json', 'bidId', {
          format: 'json',
          accept: { path: 'result', values: ['sold'] },
          pending: { path: 'result', values: ['pending'] },
          buyerRef: { path: 'bidId' },
          reason: { paths: ['reason'] },
        }),
      };
    case 'cents-flags':
      return {
        ping: call(ping, 'json', 'lead_token', {
          format: 'json',
          // Flags arrive as "accepted", 1 or "1"; values compare as lower-case strings.
          accept: { path: 'status', values: ['accepted', '1'] },
          price: { path: 'price_cents', unit: 'cents' },
          buyerRef: { path: 'lead_token' },
          reason: { paths: ['msg', 'error.detail'] },
        }),
        post: call(post, 'json', 'lead_token', {
          format: 'json',
          accept: { path: 'status', values: ['accepted', '1'] },
          pending: { path: 'status', values: ['pending'] },
          buyerRef: { path: 'lead_token' },
          reason: { paths: ['msg', 'error.detail'] },
        }),
      };
    case 'text-pipe':
      // One line of text: the verdict word is read with a regex, the values after `|name=`.
      return {
        ping: call(ping, 'form', 'ref', {
          format: 'text',
          accept: { regex: TEXT_VERDICT, values: ['accept'] },
          price: { regex: textField('price'), unit: 'dollars' },
          buyerRef: { regex: textField('id') },
          reason: { regex: textField('reason') },
        }),
        post: call(post, 'form', 'ref', {
          format: 'text',
          accept: { regex: TEXT_VERDICT, values: ['accept'] },
          pending: { regex: TEXT_VERDICT, values: ['pending'] },
          buyerRef: { regex: textField('id') },
          reason: { regex: textField('reason') },
        }),
      };
  }
}

/** `ACCEPT|…`, `REJECT|…`, `PENDING|…` or `ERROR|…`: the word before the first bar. */
const TEXT_VERDICT = '^([A-Z]+)\\|';

/** The value of `|name=value` up to the next bar or line end. */
function textField(name: string): string {
  return `\\|${name}=([^|\\r\\n]*)`;
}

/** A call with every default of buyerCallSchema spelled out, so the result needs no parsing. */
function call(url: string, format: BuyerCall['format'], buyerRefField: string, response: ResponseReading): BuyerCall {
  return {
    url,
    method: 'POST',
    format,
    xmlRoot: 'lead',
    headers: {},
    mapping: [],
    buyerRefField,
    response: { statusMap: {}, ...response },
  };
}
