import type { BuyerCall, FieldMapping } from '@pingtree/contracts';
import { readPath, writePath } from './dot-path';
import { applyTransform } from './field-transforms';
import { applyAuthHeader, applySignature, setHeader, withAuthField } from './request-auth';
import { encodeBody, withQuery } from './request-body';

export interface BuiltRequest {
  method: BuyerCall['method'];
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface BuildOptions {
  /** Clock for the signature timestamp, in ms (tests pin it). */
  now?: number;
}

function readField(field: FieldMapping, payload: Record<string, unknown>): unknown {
  if (field.value !== undefined) return field.value;
  if (field.from === undefined) return undefined;
  const raw = Array.isArray(field.from) ? field.from.map((path) => readPath(payload, path)) : readPath(payload, field.from);
  if (raw === undefined || !field.transform) return raw;
  return applyTransform(field.transform, raw);
}

/** Applies the channel's field mapping; with no mapping the canonical payload goes as it is. */
export function mapPayload(call: BuyerCall, payload: Record<string, unknown>): Record<string, unknown> {
  if (call.mapping.length === 0) return payload;
  const out: Record<string, unknown> = {};
  for (const field of call.mapping) {
    const value = readField(field, payload);
    if (value !== undefined) writePath(out, field.to, value);
  }
  return out;
}

/**
 * Builds method, URL, headers and body: mapping, then the API key field, then the format (GET and
 * `query` put the fields in the query string), then auth headers, then the signature over what is sent.
 */
export function buildRequest(call: BuyerCall, payload: Record<string, unknown>, options: BuildOptions = {}): BuiltRequest {
  const fields = withAuthField(call.auth, mapPayload(call, payload));
  const headers: Record<string, string> = { ...call.headers };
  let url = call.url;
  let body: string | undefined;
  if (call.method === 'GET' || call.format === 'query') {
    url = withQuery(call.url, fields);
  } else {
    const encoded = encodeBody(call.format, call.xmlRoot, fields);
    body = encoded.body;
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      setHeader(headers, 'content-type', encoded.contentType);
  }
  applyAuthHeader(call.auth, headers);
  if (call.signature) applySignature(call.signature, headers, { url, body }, options.now ?? Date.now());
  return { method: call.method, url, headers, body };
}
