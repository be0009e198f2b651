import { createHmac } from 'node:crypto';
import type { BuyerAuth, RequestSignature } from '@pingtree/contracts';
import { writePath } from './dot-path';

/** Sets a header, replacing one of the same name in any letter case. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  headers[name] = value;
}

/** An API key sent as a field goes in with the mapped fields (so it is signed with them); a copy, never the payload. */
export function withAuthField(auth: BuyerAuth | undefined, fields: Record<string, unknown>): Record<string, unknown> {
  if (auth?.type !== 'api_key' || auth.in !== 'field') return fields;
  const out = structuredClone(fields);
  writePath(out, auth.name, auth.value);
  return out;
}

/** Authorization, or the API key header; these win over a channel header of the same name. */
export function applyAuthHeader(auth: BuyerAuth | undefined, headers: Record<string, string>): void {
  switch (auth?.type) {
    case 'basic':
      setHeader(headers, 'authorization', `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`);
      return;
    case 'bearer':
      setHeader(headers, 'authorization', `Bearer ${auth.token}`);
      return;
    case 'api_key':
      if (auth.in === 'header') setHeader(headers, auth.name, auth.value);
      return;
    default:
      return;
  }
}

/**
 * The signed string is exactly `${timestamp}.${payload}`: timestamp is Unix seconds (decimal, as
 * sent in the timestamp header), payload the body as sent, or for a request without a body the query
 * string as sent without its `?`. The signature header carries the lower-case hex HMAC-SHA256.
 */
export function signingString(timestamp: string, body: string | undefined, url: string): string {
  return `${timestamp}.${body ?? new URL(url).search.slice(1)}`;
}

export function applySignature(
  signature: RequestSignature,
  headers: Record<string, string>,
  req: { url: string; body: string | undefined },
  nowMs: number,
): void {
  const timestamp = String(Math.floor(nowMs / 1000));
  const hex = createHmac('sha256', signature.secret)
    .update(signingString(timestamp, req.body, req.url))
    .digest('hex');
  setHeader(headers, signature.timestampHeader, timestamp);
  setHeader(headers, signature.header, hex);
}
