import { request } from 'undici';

/** A buyer's answer as a client sees it. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export interface SendOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: string;
  contentType?: string;
  signal?: AbortSignal;
}

export async function send(url: string, opts: SendOptions = {}): Promise<Answer> {
  const res = await request(url, {
    method: opts.method ?? 'POST',
    ...(opts.body !== undefined && { body: opts.body }),
    headers: opts.contentType ? { 'content-type': opts.contentType } : {},
    ...(opts.signal && { signal: opts.signal }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text };
}

export function sendJson(url: string, value: unknown, method: SendOptions['method'] = 'POST'): Promise<Answer> {
  return send(url, { method, body: JSON.stringify(value), contentType: 'application/json' });
}

export function sendForm(url: string, fields: Record<string, string>): Promise<Answer> {
  return send(url, { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' });
}

/** A ping as pingtree sends it with an empty mapping: no contact data. */
export const PING_LEAD = {
  leadId: '7b0c1a52-7c1e-4d0e-9a55-5f2d1d4b9a10',
  vertical: 'auto_insurance',
  state: 'CA',
  zip: '94105',
  age: 41,
  source: 'web',
  consentGiven: true,
  hasTrustedForm: true,
  hasJornaya: false,
  fields: { insured: true, vehicles: 2 },
};

export const PING_FORM: Record<string, string> = {
  leadId: PING_LEAD.leadId,
  state: 'CA',
  zip: '94105',
  'fields.insured': 'true',
};
