import type { Rng } from '../prng';
import type { Style } from '../sim-buyer';

/** One HTTP answer, ready to write. */
export interface SimAnswer {
  status: number;
  contentType: string;
  body: string;
}

export type RequestBody = Record<string, unknown>;

/** A bid the buyer just issued. */
export interface IssuedBid {
  id: string;
  /** Dollars, rounded to cents. */
  price: number;
  /** Set when the bid expires; styles that announce expiry put it in the answer. */
  expireInSeconds?: number;
}

/** How one buyer protocol reads requests and words its answers. Decisions are made elsewhere. */
export interface BuyerStyle {
  readonly style: Style;
  /** Prefix of the ids this buyer issues; starts with letters so an XML parser keeps them strings. */
  readonly idPrefix: string;
  /** Post body field that quotes the ping's id. */
  readonly refField: string;
  /** Content type of its answers (the `empty200` mode keeps it). */
  readonly contentType: string;
  /** Bid lifetime announced when the buyer sets none; absent: bids never expire. */
  readonly defaultExpireInSeconds?: number;
  /** Throws when the body is not in the style's format. */
  parseRequest(raw: string): RequestBody;
  /** `rng` is for styles whose wording varies between answers; others ignore it. */
  pingAccepted(bid: IssuedBid, rng: Rng): SimAnswer;
  pingRejected(rng: Rng): SimAnswer;
  postAccepted(id: string, rng: Rng): SimAnswer;
  postRejected(reason: string, rng: Rng): SimAnswer;
  /** The post was taken; the outcome follows by callback. Never reads as accepted. */
  postPending(id: string): SimAnswer;
  /** The request body could not be read. */
  badRequest(reason: string): SimAnswer;
  /** A 200 whose body is broken, for the `garbage` mode. */
  garbage(): SimAnswer;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const XML_TYPE = 'application/xml; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';
export const TEXT_TYPE = 'text/plain; charset=utf-8';

export function json(status: number, value: unknown): SimAnswer {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value) };
}

export function xml(status: number, body: string): SimAnswer {
  return { status, contentType: XML_TYPE, body };
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function parseJsonObject(raw: string): RequestBody {
  const value: unknown = JSON.parse(raw);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('body must be a JSON object');
  }
  return value as RequestBody;
}

export function thanksUrl(id: string): string {
  return `https://buyer.example/thanks/${encodeURIComponent(id)}`;
}
