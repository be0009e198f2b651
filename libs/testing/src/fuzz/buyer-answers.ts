import fc from 'fast-check';
import type { Style } from '../../../../apps/buyer-sim/src/sim-buyer';
import { hostileNumber, hostileString, toJsonText } from './hostile-values';
import { nearValid } from './near-valid';

/** Every market style buyer-sim speaks, so each channel preset's rules meet every kind of answer. */
export const BUYER_STYLES: readonly Style[] = [
  'transaction-json',
  'bid-json',
  'auction-202',
  'xml-form',
  'rtb-expiry',
  'cents-flags',
  'text-pipe',
];

/** A plausible answer of each style with every field its rules read (bid, post and pending flags mixed). */
const JSON_ANSWERS: Partial<Record<Style, unknown>> = {
  'transaction-json': {
    TransactionId: 'tx-1',
    Success: true,
    Payout: 12.5,
    Pending: false,
    Message: 'ok',
    RedirectUrl: 'https://buyer.example/thanks',
  },
  'bid-json': { status: 'bid', bid_id: 'b-1', price: 10, reason: 'none', redirect_url: 'https://buyer.example/thanks' },
  'auction-202': { response: 'accepted', leadAuctionId: 'la-1', bid: '10.00', reason: 'none' },
  'rtb-expiry': { result: 'bid', bidId: 'r-1', price: 10, currency: 'USD', expireInSeconds: 30, reason: 'none' },
  'cents-flags': { status: 1, price_cents: 1000, lead_token: 'cf-1', msg: 'ok', error: { detail: 'none' } },
};

/** The numbers each JSON style's rules read (price, expiry): where out-of-range values do harm. */
const NUMBER_FIELDS: Partial<Record<Style, readonly string[]>> = {
  'transaction-json': ['Payout'],
  'bid-json': ['price'],
  'auction-202': ['bid'],
  'rtb-expiry': ['price', 'expireInSeconds'],
  'cents-flags': ['price_cents'],
};

/** XML answers: tag values from hostile strings, or broken documents (unclosed, entity tricks, deep, huge). */
const xmlAnswer: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({
      code: fc.oneof(fc.constantFrom('0', '1', '2'), hostileString()),
      payout: fc.oneof(fc.constantFrom('10', '-5', '1e400', '$7.5'), hostileString()),
      id: hostileString(),
    })
    .map(
      ({ code, payout, id }) => `<reply><code>${code}</code><payout>${payout}</payout><id>${id}</id><reason>r</reason></reply>`,
    ),
  fc.constantFrom(
    '<reply><code>1</code><payout>10</payout>',
    '<reply><code>1<code></reply>',
    '<reply code="1"/>',
    '<?xml version="1.0" encoding="UTF-16"?><reply><code>1</code></reply>',
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><reply><code>1</code><id>&d;&d;&d;&d;</id></reply>',
    '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><reply><code>1</code><id>&x;</id></reply>',
    '<reply><code><![CDATA[1]]></code><payout>1&#0;0</payout></reply>',
    '<reply><reply><reply><code>1</code></reply></reply></reply>',
    '<reply><code>1</code><code>1</code><payout>5</payout><payout>6</payout></reply>',
    '<__proto__><code>1</code></__proto__>',
  ),
  fc.constantFrom(50, 5_000).map((n) => `${'<a>'.repeat(n)}1${'</a>'.repeat(n)}`),
);

/** `ACCEPT|price=…|id=…` lines, right or garbled. */
const textAnswer: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom('ACCEPT', 'REJECT', 'PENDING', 'ERROR', 'accept', ''), hostileString(), hostileString())
    .map(([verdict, price, id]) => `${verdict}|price=${price}|id=${id}|reason=${id}`),
  fc.constantFrom('ACCEPT', 'ACCEPT|', '|price=10', 'ACCEPT|price=|id=', 'ACCEPT|price=10\r\n|id=1', 'ACCEPT|price=10|price=20'),
);

/** Answers with nothing to do with the style: random JSON, random values, HTML pages, bytes, nothing. */
const unrelatedAnswer: fc.Arbitrary<string> = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3 }).map(toJsonText),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8')),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', ' ', '\u0000', 'null', 'true', '[]', '{}', '"bid"', '<html><body>502 Bad Gateway</body></html>', 'OK'),
  fc.constantFrom(100, 20_000).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  // An emoji across the 300th character: an excerpt cut there must not end in half a surrogate pair.
  fc.constantFrom(298, 299, 300).map((n) => `${'x'.repeat(n)}💥💥 thanks`),
);

/** A body of the style cut short, doubled, BOM-prefixed, or padded past the 64 KB the client reads. */
function garbledAnswer(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n)),
    fc.constantFrom(
      `\uFEFF${text}`,
      `${text}${text}`,
      `${text}\u0000`,
      `${' '.repeat(70_000)}${text}`,
      `${text}${' '.repeat(70_000)}`,
    ),
    fc.constant(text.replace(/:/, ':{"x":' + '['.repeat(500))),
  );
}

/** Bodies aimed at one style's rules: near-valid answers of that style first, then everything else. */
export function answerBody(style: Style): fc.Arbitrary<string> {
  const json = JSON_ANSWERS[style];
  const own: fc.Arbitrary<string> =
    json !== undefined ? nearValid(json).map(toJsonText) : style === 'xml-form' ? xmlAnswer : textAnswer;
  const sample =
    json !== undefined
      ? toJsonText(json)
      : style === 'xml-form'
        ? '<reply><code>1</code><payout>10</payout><id>x</id></reply>'
        : 'ACCEPT|price=10.00|id=t-1';
  const numbers = NUMBER_FIELDS[style] ?? [];
  // A bid whose price or expiry is out of range (negative, 1e15, 1e400), everything else right.
  const badNumber: fc.Arbitrary<string> =
    json !== undefined && numbers.length > 0
      ? fc
          .tuple(fc.constantFrom(...numbers), hostileNumber())
          .map(([field, n]) => toJsonText({ ...(json as Record<string, unknown>), [field]: n }))
      : own;
  return fc.oneof(
    { weight: 6, arbitrary: own },
    { weight: 2, arbitrary: badNumber },
    { weight: 2, arbitrary: garbledAnswer(sample) },
    { weight: 1, arbitrary: json !== undefined ? xmlAnswer : fc.json() },
    { weight: 1, arbitrary: textAnswer },
    { weight: 3, arbitrary: unrelatedAnswer },
    { weight: 1, arbitrary: fc.constant(`{"pad":"${'x'.repeat(70_000)}","status":"bid","price":5}`) },
  );
}

/** Status codes 100-599, weighted toward the ones buyers actually send. */
export const answerStatus = (): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(200) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(201, 202, 204, 301, 302, 400, 401, 403, 404, 405, 408, 409, 422, 429, 500, 502, 503, 504),
    },
    { weight: 3, arbitrary: fc.integer({ min: 100, max: 599 }) },
  );
