import { responseRulesSchema, type ResponseRules } from '@pingtree/contracts';
import type { z } from 'zod';
import { readAnswer, readPingAnswer, type ReadAnswer } from './response-reader';

function rules(input: z.input<typeof responseRulesSchema>): ResponseRules {
  return responseRulesSchema.parse(input);
}

const JSON_RULES = rules({
  accept: { path: 'status', values: ['Accepted', 'true', '1'] },
  price: { path: 'price' },
  buyerRef: { path: 'id' },
  reason: { paths: ['reason', 'message', 'errors'] },
  redirectUrl: { path: 'redirect' },
  expiresInSeconds: { path: 'ttl' },
});

const XML_RULES = rules({
  format: 'xml',
  accept: { path: 'reply.code', values: ['1'] },
  price: { path: 'reply.payout' },
  buyerRef: { path: 'reply.id' },
  reason: { paths: ['reply.reason', 'reply.errors.error'] },
});

const NOTHING: ReadAnswer = {
  verdict: 'unparseable',
  price: null,
  buyerRef: null,
  reason: null,
  redirectUrl: null,
  expiresInSeconds: null,
};

function json(value: unknown): string {
  return JSON.stringify(value);
}

describe('readAnswer with JSON rules', () => {
  it.each<[string, unknown]>([
    ['"Accepted"', 'Accepted'],
    ['"accepted" (lower case)', 'accepted'],
    ['"ACCEPTED" (upper case)', 'ACCEPTED'],
    ['"true"', 'true'],
    ['"TRUE"', 'TRUE'],
    ['true', true],
    ['1', 1],
    ['"1"', '1'],
  ])('accepts status %s', (_label, status) => {
    const answer = readAnswer(JSON_RULES, 200, json({ status, price: 12.5, id: 'B-1' }));
    expect(answer.verdict).toBe('accepted');
    expect(answer.price).toBe(12.5);
    expect(answer.buyerRef).toBe('B-1');
    expect(answer.reason).toBeNull();
  });

  it.each<[string, unknown]>([
    ['"rejected"', 'rejected'],
    ['false', false],
    ['0', 0],
    ['"false"', 'false'],
    ['"accepted " (trailing space)', 'accepted '],
    ['null', null],
    ['an object', { accepted: true }],
  ])('rejects status %s', (_label, status) => {
    const answer = readAnswer(JSON_RULES, 200, json({ status, reason: 'no coverage' }));
    expect(answer.verdict).toBe('rejected');
    expect(answer.reason).toBe('no coverage');
  });

  it('reads the full set of fields from an accepted answer', () => {
    const answer = readAnswer(
      JSON_RULES,
      200,
      json({ status: 'accepted', price: '50.00', id: 'B-42', redirect: 'https://buyer.example.com/r/42', ttl: '300' }),
    );
    expect(answer).toEqual<ReadAnswer>({
      verdict: 'accepted',
      price: 50,
      buyerRef: 'B-42',
      reason: null,
      redirectUrl: 'https://buyer.example.com/r/42',
      expiresInSeconds: 300,
    });
  });

  it.each<[string, unknown, number | null]>([
    ['number', 12.34, 12.34],
    ['string "50.00"', '50.00', 50],
    ['string with spaces', ' 7.5 ', 7.5],
    ['string with $', '$19.99', 19.99],
    ['zero', 0, 0],
    ['integer string', '35', 35],
    ['not a number', 'fifty', null],
    ['empty string', '', null],
    ['blank string', '   ', null],
    ['boolean', true, null],
    ['missing', undefined, null],
    ['null', null, null],
  ])('reads price given as %s', (_label, price, expected) => {
    const answer = readAnswer(JSON_RULES, 200, json({ status: 'true', price }));
    expect(answer.verdict).toBe('accepted');
    expect(answer.price).toBe(expected);
  });

  it.each<[string, unknown, number | null]>([
    ['number', 1250, 12.5],
    ['string', '5000', 50],
    ['not a number', 'n/a', null],
  ])('divides a price in cents (%s) by 100', (_label, price, expected) => {
    const cents = rules({ accept: { path: 'ok', values: ['true'] }, price: { path: 'bid.amount', unit: 'cents' } });
    expect(readAnswer(cents, 200, json({ ok: true, bid: { amount: price } })).price).toBe(expected);
  });

  it('gives no price when the rules have no price path', () => {
    const noPrice = rules({ accept: { path: 'ok', values: ['true'] } });
    const answer = readAnswer(noPrice, 200, json({ ok: true, price: 10, id: 'x', reason: 'r' }));
    expect(answer).toEqual<ReadAnswer>({ ...NOTHING, verdict: 'accepted' });
  });

  it('reads nested paths and array indexes', () => {
    const nested = rules({
      accept: { path: 'result.decision', values: ['bid'] },
      price: { path: 'result.bids.0.amount' },
      buyerRef: { path: 'result.bids.0.ref' },
    });
    const answer = readAnswer(nested, 200, json({ result: { decision: 'BID', bids: [{ amount: 8, ref: 77 }, { amount: 9 }] } }));
    expect(answer).toMatchObject({ verdict: 'accepted', price: 8, buyerRef: '77' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['the first path when several match', { reason: 'duplicate', message: 'other', errors: ['x'] }, 'duplicate'],
    ['the second path when the first is missing', { message: 'state not covered' }, 'state not covered'],
    ['the next path when the first is null', { reason: null, message: 'cap reached' }, 'cap reached'],
    ['the next path when the first is empty', { reason: '', message: 'cap reached' }, 'cap reached'],
    ['an array of errors, joined', { errors: ['zip not covered', 'too old'] }, 'zip not covered; too old'],
    ['a numeric reason as text', { reason: 42 }, '42'],
    ['an object reason as JSON', { reason: { code: 'E1' } }, '{"code":"E1"}'],
    ['"rejected" when no path matches', { nothing: 'here' }, 'rejected'],
    ['"rejected" when the errors array is empty', { errors: [] }, 'rejected'],
  ])('gives as reason %s', (_label, body, expected) => {
    const answer = readAnswer(JSON_RULES, 200, json({ status: 'no', ...body }));
    expect(answer.verdict).toBe('rejected');
    expect(answer.reason).toBe(expected);
  });

  it('gives reason "rejected" when the rules have no reason paths', () => {
    const noReason = rules({ accept: { path: 'ok', values: ['true'] } });
    expect(readAnswer(noReason, 200, json({ ok: false, reason: 'ignored' })).reason).toBe('rejected');
  });

  it.each<[string, string]>([
    ['malformed JSON', '{"status": "accepted", '],
    ['an HTML page', '<html><body>Bad gateway</body></html>'],
    ['an empty body', ''],
    ['plain text', 'OK'],
  ])('reads %s as unparseable', (_label, body) => {
    expect(readAnswer(JSON_RULES, 200, body)).toEqual<ReadAnswer>({ ...NOTHING, reason: 'unreadable json answer' });
  });

  it.each<[string, string]>([
    ['an object without the accept path', json({ price: 10 })],
    ['an accept path under a missing parent', json({ result: null })],
    ['a JSON array', json([{ status: 'accepted' }])],
    ['a JSON string', json('accepted')],
    ['JSON null', 'null'],
  ])('reads %s as unparseable', (_label, body) => {
    const nested = rules({ accept: { path: 'result.status', values: ['accepted'] } });
    expect(readAnswer(nested, 200, body)).toEqual<ReadAnswer>({ ...NOTHING, reason: 'no result.status in answer' });
  });
});

describe('readAnswer with XML rules', () => {
  it('reads an accepted answer', () => {
    const body = '<?xml version="1.0"?><reply><code>1</code><id>X</id><payout>9.25</payout></reply>';
    expect(readAnswer(XML_RULES, 200, body)).toEqual<ReadAnswer>({
      ...NOTHING,
      verdict: 'accepted',
      price: 9.25,
      buyerRef: 'X',
    });
  });

  it('reads an accepted answer without an XML declaration, with whitespace and attributes', () => {
    const body = `
      <reply version="2">
        <code> 1 </code>
        <id>ABC-123</id>
        <payout currency="USD">12.00</payout>
      </reply>`;
    expect(readAnswer(XML_RULES, 200, body)).toMatchObject({ verdict: 'accepted', price: 12, buyerRef: 'ABC-123' });
  });

  it('reads code 0 as rejected, with its reason', () => {
    const body = '<reply><code>0</code><reason>Duplicate lead</reason></reply>';
    expect(readAnswer(XML_RULES, 200, body)).toEqual<ReadAnswer>({
      ...NOTHING,
      verdict: 'rejected',
      reason: 'Duplicate lead',
    });
  });

  it('joins repeated error elements into one reason', () => {
    const body = '<reply><code>0</code><errors><error>zip not covered</error><error>too old</error></errors></reply>';
    expect(readAnswer(XML_RULES, 200, body).reason).toBe('zip not covered; too old');
  });

  it.each<[string, string, string]>([
    ['malformed XML', '<reply><code>1</code>', 'unreadable xml answer'],
    ['mismatched tags', '<reply><code>1</code></rep>', 'unreadable xml answer'],
    ['JSON sent to an XML channel', json({ code: 1 }), 'unreadable xml answer'],
    ['an empty body', '', 'unreadable xml answer'],
    ['XML without the accept element', '<reply><id>X</id></reply>', 'no reply.code in answer'],
  ])('reads %s as unparseable', (_label, body, reason) => {
    expect(readAnswer(XML_RULES, 200, body)).toEqual<ReadAnswer>({ ...NOTHING, reason });
  });
});

describe('readAnswer and HTTP status', () => {
  const auction = rules({
    accept: { path: 'status', values: ['accepted'] },
    price: { path: 'price' },
    reason: { paths: ['message'] },
    statusMap: { '202': 'reject', '418': 'error' },
  });

  it('reads 202 mapped to reject as rejected, whatever the body says', () => {
    const answer = readAnswer(auction, 202, json({ status: 'accepted', price: 20 }));
    expect(answer).toEqual<ReadAnswer>({ ...NOTHING, verdict: 'rejected', reason: 'HTTP 202' });
  });

  it('gives the body reason for a status mapped to reject', () => {
    expect(readAnswer(auction, 202, json({ message: 'quota reached' }))).toEqual<ReadAnswer>({
      ...NOTHING,
      verdict: 'rejected',
      reason: 'quota reached',
    });
  });

  it.each([[''], ['not json'], ['<html/>']])('reads 202 mapped to reject as rejected even with body %j', (body) => {
    expect(readAnswer(auction, 202, body)).toEqual<ReadAnswer>({ ...NOTHING, verdict: 'rejected', reason: 'HTTP 202' });
  });

  it('reads 202 as usual when it is not in the status map', () => {
    expect(readAnswer(JSON_RULES, 202, json({ status: 'accepted', price: 20 }))).toMatchObject({
      verdict: 'accepted',
      price: 20,
    });
  });

  it.each([[500], [502], [503], [504], [599]])('reads %d as an error, whatever the body says', (status) => {
    expect(readAnswer(auction, status, json({ status: 'accepted', price: 20 }))).toEqual<ReadAnswer>({
      ...NOTHING,
      verdict: 'error',
      reason: `HTTP ${status}`,
    });
  });

  it.each([[401], [403], [404], [405]])('reads %d (our configuration is wrong) as an error', (status) => {
    expect(readAnswer(auction, status, json({ message: 'nope' }))).toEqual<ReadAnswer>({
      ...NOTHING,
      verdict: 'error',
      reason: `HTTP ${status}`,
    });
  });

  it('reads a status mapped to error as an error', () => {
    expect(readAnswer(auction, 418, json({ status: 'accepted' }))).toEqual<ReadAnswer>({
      ...NOTHING,
      verdict: 'error',
      reason: 'HTTP 418',
    });
  });

  it.each<[number, string, string]>([
    [400, json({ message: 'missing zip' }), 'missing zip'],
    [422, json({ status: 'accepted', message: 'bad state' }), 'bad state'],
    [409, json({ status: 'accepted' }), 'HTTP 409'],
    [429, json({}), 'HTTP 429'],
  ])('reads other 4xx (%d) as rejected, never accepted', (status, body, reason) => {
    expect(readAnswer(auction, status, body)).toEqual<ReadAnswer>({ ...NOTHING, verdict: 'rejected', reason });
  });
});

describe('readAnswer with regex rules', () => {
  const HTML_RULES = rules({
    format: 'json',
    accept: { regex: '<div class="result">\\s*(\\w+)', values: ['accepted'] },
    price: { regex: 'Payout:\\s*([$\\d.,]+)' },
    buyerRef: { regex: 'Lead ID:\\s*<b>([\\w-]+)</b>', flags: 'i' },
    reason: { regex: '<p class="error">([^<]+)</p>' },
    redirectUrl: { regex: 'href="(https://[^"]+)"' },
  });

  it('reads an HTML answer to a JSON channel', () => {
    const body = `<!doctype html><html><body>
      <div class="result">
        Accepted
      </div>
      <p>Payout: $12.50</p><p>lead id: <b>HX-991</b></p><a href="https://buyer.example.com/thanks?id=991">continue</a>
    </body></html>`;
    expect(readAnswer(HTML_RULES, 200, body)).toEqual<ReadAnswer>({
      verdict: 'accepted',
      price: 12.5,
      buyerRef: 'HX-991',
      reason: null,
      redirectUrl: 'https://buyer.example.com/thanks?id=991',
      expiresInSeconds: null,
    });
  });

  it('reads a rejection and its reason from HTML', () => {
    const body = '<html><div class="result">Rejected</div><p class="error">Duplicate lead</p></html>';
    expect(readAnswer(HTML_RULES, 200, body)).toEqual<ReadAnswer>({ ...NOTHING, verdict: 'rejected', reason: 'Duplicate lead' });
  });

  it('reads the reason of an HTML error page on a 4xx', () => {
    const body = '<html><p class="error">zip not covered</p></html>';
    expect(readAnswer(HTML_RULES, 400, body)).toEqual<ReadAnswer>({ ...NOTHING, verdict: 'rejected', reason: 'zip not covered' });
  });

  it('keeps reading an HTML error page on a 5xx as an error', () => {
    expect(readAnswer(HTML_RULES, 503, '<html><div class="result">Accepted</div></html>').verdict).toBe('error');
  });

  it('reads an answer without the accept text as unparseable, naming the regex', () => {
    expect(readAnswer(HTML_RULES, 200, '<html>Service page</html>')).toEqual<ReadAnswer>({
      ...NOTHING,
      reason: 'no match for the accept regex in answer',
    });
  });

  const TEXT_RULES = rules({
    format: 'text',
    accept: { regex: '^(OK|ERROR)\\b', values: ['ok'] },
    price: { regex: '\\bprice=([^|\\s]+)' },
    buyerRef: { regex: '\\bid=(\\w+)' },
    reason: { regex: '^ERROR[: ]+(.+)$', flags: 'm' },
    expiresInSeconds: { regex: '\\bttl=(\\d+)' },
  });

  it.each<[string, string, Partial<ReadAnswer>]>([
    [
      'a pipe-separated accept',
      'OK|id=A17|price=8.75|ttl=120',
      { verdict: 'accepted', price: 8.75, buyerRef: 'A17', expiresInSeconds: 120 },
    ],
    ['a string price', 'OK id=B2 price=50.00', { verdict: 'accepted', price: 50, buyerRef: 'B2' }],
    ['a $ price', 'OK id=B3 price=$19.99', { verdict: 'accepted', price: 19.99 }],
    ['a price that is not a number', 'OK id=B4 price=n/a', { verdict: 'accepted', price: null }],
    ['a rejection with a reason', 'ERROR: Bid too low', { verdict: 'rejected', reason: 'Bid too low' }],
    ['a rejection on the second line', 'ERROR\nERROR duplicate', { verdict: 'rejected', reason: 'duplicate' }],
    ['an unknown first word', 'MAYBE', { verdict: 'unparseable', reason: 'no match for the accept regex in answer' }],
    ['an empty body', '', { verdict: 'unparseable' }],
  ])('reads plain text: %s', (_label, body, expected) => {
    expect(readAnswer(TEXT_RULES, 200, body)).toMatchObject(expected);
  });

  it('reads prices in cents by regex', () => {
    const cents = rules({
      format: 'text',
      accept: { regex: '(\\w+)', values: ['bid'] },
      price: { regex: 'cents=(\\d+)', unit: 'cents' },
    });
    expect(readAnswer(cents, 200, 'bid cents=1250').price).toBe(12.5);
  });

  it('mixes paths and regexes on a JSON answer', () => {
    const mixed = rules({
      accept: { path: 'ok', values: ['true'] },
      price: { regex: '"amount"\\s*:\\s*"?\\$?([\\d.]+)' },
      reason: { paths: ['message'] },
    });
    expect(readAnswer(mixed, 200, json({ ok: true, bid: { amount: '$7.25' } }))).toMatchObject({
      verdict: 'accepted',
      price: 7.25,
    });
  });

  it('runs regexes on the first 64 KB of the body only', () => {
    const late = rules({ format: 'text', accept: { regex: '(OK)', values: ['ok'] } });
    expect(readAnswer(late, 200, `${' '.repeat(64 * 1024 - 2)}OK`).verdict).toBe('accepted');
    expect(readAnswer(late, 200, `${' '.repeat(64 * 1024)}OK`).verdict).toBe('unparseable');
  });
});

describe('readAnswer with a pending rule', () => {
  const ASYNC = rules({
    accept: { path: 'status', values: ['accepted'] },
    pending: { path: 'status', values: ['pending', 'queued'] },
    buyerRef: { path: 'ref' },
    reason: { paths: ['message'] },
  });

  it.each<[string, string]>([
    ['pending', 'pending'],
    ['QUEUED', 'QUEUED'],
  ])('reads status %s as pending, with the buyer reference', (_label, status) => {
    expect(readAnswer(ASYNC, 200, json({ status, ref: 'P-7' }))).toEqual<ReadAnswer>({
      ...NOTHING,
      verdict: 'pending',
      buyerRef: 'P-7',
      reason: 'awaiting confirmation from the buyer',
    });
  });

  it("gives the buyer's own message as the pending reason", () => {
    expect(readAnswer(ASYNC, 200, json({ status: 'pending', ref: 'P-8', message: 'under review' })).reason).toBe('under review');
  });

  it.each<[string, unknown, ReadAnswer['verdict']]>([
    ['accepted', { status: 'accepted' }, 'accepted'],
    ['rejected', { status: 'rejected' }, 'rejected'],
  ])('reads %s as before', (_label, body, verdict) => {
    expect(readAnswer(ASYNC, 200, json(body)).verdict).toBe(verdict);
  });

  it('reads pending by its own path, before accept', () => {
    const separate = rules({
      accept: { path: 'ok', values: ['true'] },
      pending: { path: 'async', values: ['1', 'true'] },
      buyerRef: { path: 'id' },
    });
    expect(readAnswer(separate, 200, json({ async: 1, id: 'Q' }))).toMatchObject({ verdict: 'pending', buyerRef: 'Q' });
    expect(readAnswer(separate, 200, json({ async: 0, ok: true }))).toMatchObject({ verdict: 'accepted' });
  });

  it('reads pending by regex from plain text', () => {
    const text = rules({
      format: 'text',
      accept: { regex: '^(\\w+)', values: ['accepted'] },
      pending: { regex: '^(\\w+)', values: ['received'] },
      buyerRef: { regex: 'ref=(\\S+)' },
    });
    expect(readAnswer(text, 200, 'RECEIVED ref=T-1')).toMatchObject({ verdict: 'pending', buyerRef: 'T-1' });
  });

  it('never reads a 4xx or 5xx as pending', () => {
    expect(readAnswer(ASYNC, 409, json({ status: 'pending' })).verdict).toBe('rejected');
    expect(readAnswer(ASYNC, 500, json({ status: 'pending' })).verdict).toBe('error');
  });
});

describe('readPingAnswer', () => {
  it('reads a bid as readAnswer does', () => {
    expect(readPingAnswer(JSON_RULES, 200, json({ status: 'accepted', price: 3, id: 'b' }))).toEqual(
      readAnswer(JSON_RULES, 200, json({ status: 'accepted', price: 3, id: 'b' })),
    );
  });

  it('ignores a pending rule: a ping answer is a bid or not', () => {
    const withPending = rules({ accept: { path: 'status', values: ['bid'] }, pending: { path: 'status', values: ['pending'] } });
    expect(readPingAnswer(withPending, 200, json({ status: 'pending' })).verdict).toBe('rejected');
  });
});
