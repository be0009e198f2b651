import type { BuyerCall } from '@pingtree/contracts';
import { flatten, readPath, writePath } from './dot-path';

export interface BuiltRequest {
  method: BuyerCall['method'];
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** Applies the channel's field mapping; with no mapping the canonical payload goes as it is. */
export function mapPayload(call: BuyerCall, payload: Record<string, unknown>): Record<string, unknown> {
  if (call.mapping.length === 0) return payload;
  const out: Record<string, unknown> = {};
  for (const field of call.mapping) {
    const value = field.value !== undefined ? field.value : field.from !== undefined ? readPath(payload, field.from) : undefined;
    if (value !== undefined) writePath(out, field.to, value);
  }
  return out;
}

/** Builds method, URL, headers and body in the channel's format. */
export function buildRequest(call: BuyerCall, payload: Record<string, unknown>): BuiltRequest {
  const mapped = mapPayload(call, payload);
  const headers: Record<string, string> = { ...call.headers };
  const hasContentType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  const withContentType = (type: string) => (hasContentType ? headers : Object.assign(headers, { 'content-type': type }));
  if (call.method === 'GET') {
    const url = new URL(call.url);
    for (const [k, v] of Object.entries(flatten(mapped))) url.searchParams.set(k, v);
    return { method: call.method, url: url.toString(), headers, body: undefined };
  }
  switch (call.format) {
    case 'json':
      return { method: call.method, url: call.url, headers: withContentType('application/json'), body: JSON.stringify(mapped) };
    case 'form':
      return {
        method: call.method,
        url: call.url,
        headers: withContentType('application/x-www-form-urlencoded'),
        body: new URLSearchParams(flatten(mapped)).toString(),
      };
    case 'xml':
      return {
        method: call.method,
        url: call.url,
        headers: withContentType('application/xml'),
        body: toXml(call.xmlRoot, mapped),
      };
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

function toXml(root: string, value: Record<string, unknown>): string {
  const element = (name: string, v: unknown): string => {
    if (v === undefined || v === null) return '';
    if (typeof v === 'object' && !Array.isArray(v)) {
      return `<${name}>${Object.entries(v as Record<string, unknown>)
        .map(([k, c]) => element(k, c))
        .join('')}</${name}>`;
    }
    return `<${name}>${escapeXml(Array.isArray(v) ? v.join(',') : String(v))}</${name}>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>${element(root, value)}`;
}
