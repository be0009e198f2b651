import { XMLParser } from 'fast-xml-parser';
import type { ResponseRules } from '@pingtree/contracts';
import { readPath } from './dot-path';

export type AnswerVerdict = 'accepted' | 'rejected' | 'error' | 'unparseable';

/** What a buyer's answer means, read by the channel's rules rather than by code per buyer. */
export interface ReadAnswer {
  verdict: AnswerVerdict;
  price: number | null;
  buyerRef: string | null;
  reason: string | null;
  redirectUrl: string | null;
  expiresInSeconds: number | null;
}

// Tag values stay strings: ids like 00123 must come back exactly as the buyer sent them.
const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

const CONFIG_ERROR_STATUSES = new Set([401, 403, 404, 405]);

function parseBody(format: ResponseRules['format'], body: string): unknown {
  if (format === 'json') return JSON.parse(body);
  if (!body.trimStart().startsWith('<')) throw new Error('not XML');
  return xml.parse(body, true);
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim().replace(/^\$/, ''));
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function toText(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (Array.isArray(value)) return value.map((v) => String(v)).join('; ') || null;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function empty(verdict: AnswerVerdict, reason: string): ReadAnswer {
  return { verdict, price: null, buyerRef: null, reason, redirectUrl: null, expiresInSeconds: null };
}

export function readAnswer(rules: ResponseRules, status: number, body: string): ReadAnswer {
  const mapped = rules.statusMap[String(status)];
  // 5xx, and 4xx that mean our configuration is wrong (auth, URL, method), are errors, not rejections.
  if (status >= 500 || mapped === 'error' || CONFIG_ERROR_STATUSES.has(status)) return empty('error', `HTTP ${status}`);
  let doc: unknown;
  try {
    doc = parseBody(rules.format, body);
  } catch {
    return empty(
      mapped === 'reject' ? 'rejected' : 'unparseable',
      mapped === 'reject' ? `HTTP ${status}` : `unreadable ${rules.format} answer`,
    );
  }
  const reason = rules.reason?.paths.map((p) => toText(readPath(doc, p))).find((r) => r !== null) ?? null;
  if (mapped === 'reject') return { ...empty('rejected', reason ?? `HTTP ${status}`) };
  if (status >= 400) return empty('rejected', reason ?? `HTTP ${status}`);
  const flag = readPath(doc, rules.accept.path);
  if (flag === undefined) return empty('unparseable', `no ${rules.accept.path} in answer`);
  const accepted = rules.accept.values.some((v) => v.toLowerCase() === String(flag).toLowerCase());
  const rawPrice = rules.price ? toNumber(readPath(doc, rules.price.path)) : null;
  const price = rawPrice === null ? null : rules.price?.unit === 'cents' ? rawPrice / 100 : rawPrice;
  return {
    verdict: accepted ? 'accepted' : 'rejected',
    price,
    buyerRef: rules.buyerRef ? toText(readPath(doc, rules.buyerRef.path)) : null,
    reason: accepted ? null : (reason ?? 'rejected'),
    redirectUrl: rules.redirectUrl ? toText(readPath(doc, rules.redirectUrl.path)) : null,
    expiresInSeconds: rules.expiresInSeconds ? toNumber(readPath(doc, rules.expiresInSeconds.path)) : null,
  };
}
