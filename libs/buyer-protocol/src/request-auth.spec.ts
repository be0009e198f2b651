import { createHmac, timingSafeEqual } from 'node:crypto';
import { buyerCallSchema, type BuyerCall } from '@pingtree/contracts';
import type { z } from 'zod';
import { buildRequest } from './request-builder';

type CallInput = Omit<z.input<typeof buyerCallSchema>, 'url' | 'response'> & { url?: string };

function call(input: CallInput = {}): BuyerCall {
  return buyerCallSchema.parse({
    url: 'https://buyer.example.com/ping?src=pt',
    response: { accept: { path: 'ok', values: ['true'] } },
    ...input,
  });
}

const PAYLOAD = { zip: '94105', state: 'CA', fields: { insured: true } };
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const TIMESTAMP = String(Math.floor(NOW / 1000));

/** What a buyer does to check our signature: recompute it over the documented string. */
function verifies(secret: string, signed: string, signature: string): boolean {
  const expected = createHmac('sha256', secret).update(signed).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('buildRequest auth', () => {
  it.each<[string, CallInput['auth'], Record<string, string>]>([
    [
      'basic',
      { type: 'basic', username: 'acme', password: 'p@ss:word' },
      { authorization: `Basic ${Buffer.from('acme:p@ss:word').toString('base64')}` },
    ],
    ['bearer', { type: 'bearer', token: 'tok-123' }, { authorization: 'Bearer tok-123' }],
    ['api_key in a header', { type: 'api_key', in: 'header', name: 'X-Api-Key', value: 'k-1' }, { 'X-Api-Key': 'k-1' }],
  ])('sends %s in the headers', (_label, auth, expected) => {
    const built = buildRequest(call({ auth }), PAYLOAD);
    expect(built.headers).toEqual({ 'content-type': 'application/json', ...expected });
    expect(JSON.parse(built.body!)).toEqual(PAYLOAD);
  });

  it('decodes basic auth back to username and password', () => {
    const built = buildRequest(call({ auth: { type: 'basic', username: 'acme', password: 'pw' } }), PAYLOAD);
    expect(Buffer.from(built.headers.authorization!.replace(/^Basic /, ''), 'base64').toString()).toBe('acme:pw');
  });

  it('replaces a channel header of the same name in another letter case', () => {
    const built = buildRequest(
      call({ headers: { Authorization: 'old', 'x-other': '1' }, auth: { type: 'bearer', token: 't' } }),
      PAYLOAD,
    );
    expect(built.headers).toEqual({ 'x-other': '1', 'content-type': 'application/json', authorization: 'Bearer t' });
  });

  it.each<[string, BuyerCall['format'], (built: ReturnType<typeof buildRequest>) => unknown, unknown]>([
    ['json', 'json', (b) => JSON.parse(b.body!), { zip: '94105', auth: { key: 'k-1' } }],
    ['form', 'form', (b) => Object.fromEntries(new URLSearchParams(b.body)), { zip: '94105', 'auth.key': 'k-1' }],
    [
      'xml',
      'xml',
      (b) => b.body,
      '<?xml version="1.0" encoding="UTF-8"?><lead><zip>94105</zip><auth><key>k-1</key></auth></lead>',
    ],
    ['query', 'query', (b) => Object.fromEntries(new URL(b.url).searchParams), { src: 'pt', zip: '94105', 'auth.key': 'k-1' }],
  ])('sends api_key as a field with the mapped fields (%s)', (_label, format, read, expected) => {
    const built = buildRequest(
      call({
        format,
        mapping: [{ to: 'zip', from: 'zip' }],
        auth: { type: 'api_key', in: 'field', name: 'auth.key', value: 'k-1' },
      }),
      PAYLOAD,
    );
    expect(read(built)).toEqual(expected);
    expect(Object.keys(built.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
  });

  it('adds an api_key field to the canonical payload without changing the payload', () => {
    const payload = structuredClone(PAYLOAD);
    const built = buildRequest(call({ auth: { type: 'api_key', in: 'field', name: 'fields.key', value: 'k' } }), payload);
    expect(JSON.parse(built.body!)).toEqual({ ...PAYLOAD, fields: { insured: true, key: 'k' } });
    expect(payload).toEqual(PAYLOAD);
  });
});

describe('buildRequest signature', () => {
  const signature = { secret: 'shh-123', header: 'X-Signature', timestampHeader: 'X-Timestamp' };

  it.each<[BuyerCall['format']]>([['json'], ['form'], ['xml']])(
    'signs `${timestamp}.${body}` with HMAC-SHA256 in hex (%s)',
    (format) => {
      const built = buildRequest(call({ format, signature, mapping: [{ to: 'zip', from: 'zip' }] }), PAYLOAD, { now: NOW });
      expect(built.headers['X-Timestamp']).toBe(TIMESTAMP);
      expect(built.headers['X-Signature']).toMatch(/^[0-9a-f]{64}$/);
      expect(verifies('shh-123', `${TIMESTAMP}.${built.body}`, built.headers['X-Signature']!)).toBe(true);
      expect(verifies('other', `${TIMESTAMP}.${built.body}`, built.headers['X-Signature']!)).toBe(false);
    },
  );

  it('matches a signature computed by hand', () => {
    const built = buildRequest(call({ signature, mapping: [{ to: 'zip', from: 'zip' }] }), PAYLOAD, { now: NOW });
    const expected = createHmac('sha256', 'shh-123').update(`${TIMESTAMP}.{"zip":"94105"}`).digest('hex');
    expect(built.headers['X-Signature']).toBe(expected);
  });

  it.each<[string, CallInput]>([
    ['format query', { format: 'query', method: 'POST' }],
    ['GET', { method: 'GET' }],
  ])('signs the query string when there is no body (%s)', (_label, input) => {
    const built = buildRequest(call({ ...input, signature, mapping: [{ to: 'zip', from: 'zip' }] }), PAYLOAD, { now: NOW });
    expect(built.body).toBeUndefined();
    expect(new URL(built.url).search).toBe('?src=pt&zip=94105');
    expect(verifies('shh-123', `${TIMESTAMP}.src=pt&zip=94105`, built.headers['X-Signature']!)).toBe(true);
  });

  it('signs what is sent, API key field included, and uses the configured header names', () => {
    const built = buildRequest(
      call({
        auth: { type: 'api_key', in: 'field', name: 'key', value: 'k' },
        signature: { secret: 's', header: 'X-Hub-Sig', timestampHeader: 'X-Hub-Time' },
        mapping: [{ to: 'zip', from: 'zip' }],
      }),
      PAYLOAD,
      { now: NOW },
    );
    expect(built.body).toBe('{"zip":"94105","key":"k"}');
    expect(built.headers['X-Hub-Time']).toBe(TIMESTAMP);
    expect(verifies('s', `${TIMESTAMP}.${built.body}`, built.headers['X-Hub-Sig']!)).toBe(true);
  });

  it('uses the clock when no time is given', () => {
    const before = Math.floor(Date.now() / 1000);
    const built = buildRequest(call({ signature }), PAYLOAD);
    const at = Number(built.headers['X-Timestamp']);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('signs alongside bearer auth', () => {
    const built = buildRequest(call({ auth: { type: 'bearer', token: 't' }, signature }), PAYLOAD, { now: NOW });
    expect(built.headers.authorization).toBe('Bearer t');
    expect(verifies('shh-123', `${TIMESTAMP}.${built.body}`, built.headers['X-Signature']!)).toBe(true);
  });
});
