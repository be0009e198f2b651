import { XMLParser } from 'fast-xml-parser';
import { MAX_ANSWER_CHARS, type AcceptRule, type ResponseRules } from '@pingtree/contracts';
import { readPath } from './dot-path';
import { describeRule, locate, type AnswerDocument } from './answer-locator';
import { storableText } from './storable-text';

/** `pending`: a post the buyer received and will decide on later, through a callback. */
export type AnswerVerdict = 'accepted' | 'pending' | 'rejected' | 'error' | 'unparseable';

/** What a buyer's answer means, read by the channel's rules rather than by code per buyer. */
export interface ReadAnswer {
  verdict: AnswerVerdict;
  price: number | null;
  buyerRef: string | null;
  reason: string | null;
  redirectUrl: string | null;
  expiresInSeconds: number | null;
}

/** A ping answer: a bid or not, never pending. */
export type PingAnswer = Omit<ReadAnswer, 'verdict'> & { verdict: Exclude<AnswerVerdict, 'pending'> };

// Tag values stay strings: ids like 00123 must come back exactly as the buyer sent them.
const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

const CONFIG_ERROR_STATUSES = new Set([401, 403, 404, 405]);

function parseAnswer(format: ResponseRules['format'], raw: string): AnswerDocument {
  try {
    if (format === 'json') return { raw, parsed: true, doc: JSON.parse(raw) };
    if (format === 'xml' && raw.trimStart().startsWith('<')) return { raw, parsed: true, doc: xml.parse(raw, true) };
  } catch {
    // Unreadable as the format says: path rules find nothing, regex rules still read the raw body.
  }
  return { raw, parsed: false, doc: undefined };
}

/** A number, "50.00", " 7.5 " or "$19.99"; anything else is no price. */
function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim().replace(/^\$/, ''));
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * Writes a value as text; null for one nested too deep to write. A hostile answer of a few KB can
 * nest arrays thousands deep, and String() and JSON.stringify recurse: RangeError, not a reading.
 */
function writeSafely(value: unknown, write: (v: unknown) => string): string | null {
  try {
    return write(value);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

function toText(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = Array.isArray(value)
    ? writeSafely(value, (v) => (v as unknown[]).map((e) => String(e)).join('; ')) || null
    : typeof value === 'object'
      ? writeSafely(value, JSON.stringify)
      : String(value);
  return text === null ? null : storableText(text);
}

function empty(verdict: AnswerVerdict, reason: string): ReadAnswer {
  return { verdict, price: null, buyerRef: null, reason, redirectUrl: null, expiresInSeconds: null };
}

function matches(rule: AcceptRule, flag: unknown): boolean {
  const text = writeSafely(flag, String)?.toLowerCase();
  return text !== undefined && rule.values.some((v) => v.toLowerCase() === text);
}

function readReason(rules: ResponseRules, answer: AnswerDocument): string | null {
  const rule = rules.reason;
  if (!rule) return null;
  if (rule.paths === undefined) return toText(locate(rule, answer));
  if (!answer.parsed) return null;
  return rule.paths.map((p) => toText(readPath(answer.doc, p))).find((r) => r !== null) ?? null;
}

/** The largest bid we believe, in dollars: far above any lead's price, and far inside numeric(12,2) after adjustments. */
export const MAX_BID = 1_000_000;
/** The longest a bid can stay valid; a longer expiry is read as this long. */
export const MAX_BID_TTL_SECONDS = 86_400;

/** Price, buyer reference, redirect and expiry, each read by its rule. */
function readValues(rules: ResponseRules, answer: AnswerDocument): Omit<ReadAnswer, 'verdict' | 'reason'> {
  const rawPrice = rules.price ? toNumber(locate(rules.price, answer)) : null;
  const price = rawPrice === null ? null : rules.price?.unit === 'cents' ? rawPrice / 100 : rawPrice;
  const expiresInSeconds = rules.expiresInSeconds ? toNumber(locate(rules.expiresInSeconds, answer)) : null;
  return {
    // A negative or absurd price is no price: the bid reply refuses one, a post_attempts row can't hold the other.
    price: price !== null && price >= 0 && price <= MAX_BID ? price : null,
    buyerRef: rules.buyerRef ? toText(locate(rules.buyerRef, answer)) : null,
    redirectUrl: rules.redirectUrl ? toText(locate(rules.redirectUrl, answer)) : null,
    // Already expired stays expired (0); "valid for 1e300 seconds" is no date a timestamp can hold.
    expiresInSeconds: expiresInSeconds === null ? null : Math.min(Math.max(expiresInSeconds, 0), MAX_BID_TTL_SECONDS),
  };
}

export function readAnswer(rules: ResponseRules, status: number, body: string): ReadAnswer {
  const mapped = rules.statusMap[String(status)];
  // 5xx, and 4xx that mean our configuration is wrong (auth, URL, method), are errors, not rejections.
  if (status >= 500 || mapped === 'error' || CONFIG_ERROR_STATUSES.has(status)) return empty('error', `HTTP ${status}`);
  const answer = parseAnswer(rules.format, body.length > MAX_ANSWER_CHARS ? body.slice(0, MAX_ANSWER_CHARS) : body);
  // An accept flag read by path needs the document: without it there is nothing to read.
  if (!answer.parsed && rules.accept.regex === undefined) {
    return mapped === 'reject' ? empty('rejected', `HTTP ${status}`) : empty('unparseable', `unreadable ${rules.format} answer`);
  }
  const reason = readReason(rules, answer);
  if (mapped === 'reject' || status >= 400) return empty('rejected', reason ?? `HTTP ${status}`);
  if (rules.pending) {
    const waiting = locate(rules.pending, answer);
    if (waiting !== undefined && matches(rules.pending, waiting)) {
      return { verdict: 'pending', ...readValues(rules, answer), reason: reason ?? 'awaiting confirmation from the buyer' };
    }
  }
  const flag = locate(rules.accept, answer);
  if (flag === undefined) return empty('unparseable', `no ${describeRule(rules.accept, 'accept')} in answer`);
  const accepted = matches(rules.accept, flag);
  return {
    verdict: accepted ? 'accepted' : 'rejected',
    ...readValues(rules, answer),
    reason: accepted ? null : (reason ?? 'rejected'),
  };
}

/** Reads a ping answer: a `pending` rule has no meaning there (the ping schema refuses it) and is ignored. */
export function readPingAnswer(rules: ResponseRules, status: number, body: string): PingAnswer {
  const answer = readAnswer({ ...rules, pending: undefined }, status, body);
  const { verdict } = answer;
  return verdict === 'pending' ? { ...answer, verdict: 'unparseable' } : { ...answer, verdict };
}
