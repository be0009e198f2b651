import type { BuyerCall } from '@pingtree/contracts';
import { flatten } from './dot-path';

export interface EncodedBody {
  body: string;
  contentType: string;
}

/** The mapped fields as a body in the channel's format (`query` has no body: see withQuery). */
export function encodeBody(
  format: Exclude<BuyerCall['format'], 'query'>,
  xmlRoot: string,
  fields: Record<string, unknown>,
): EncodedBody {
  switch (format) {
    case 'json':
      return { body: JSON.stringify(fields), contentType: 'application/json' };
    case 'form':
      return { body: new URLSearchParams(flatten(fields)).toString(), contentType: 'application/x-www-form-urlencoded' };
    case 'xml':
      return { body: toXml(xmlRoot, fields), contentType: 'application/xml' };
  }
}

/** The URL with the mapped fields, flattened to dot keys, in its query string; a mapped field replaces one already there. */
export function withQuery(baseUrl: string, fields: Record<string, unknown>): string {
  const url = new URL(baseUrl);
  for (const [key, value] of Object.entries(flatten(fields))) url.searchParams.set(key, value);
  return url.toString();
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
