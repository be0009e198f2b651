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
export function simChannelCalls(baseUrl: string, buyerKey: string, style: Style): SimChannelCalls {
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
          reason: { paths: ['reply.reason'] },
        }),
      };
  }
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
