import fc from 'fast-check';
import { simChannelCalls } from '../../../apps/buyer-sim/src/channel-presets';
import { answerBody, answerStatus, BUYER_STYLES } from '../../testing/src/fuzz/buyer-answers';
import { fuzzSeed, withSeedReport } from '../../testing/src/fuzz/fuzz-run';
import { storableText } from './storable-text';
import { MAX_BID, MAX_BID_TTL_SECONDS, readAnswer, readPingAnswer, type ReadAnswer } from './response-reader';

/** Answers per run, over every preset's ping and post rules. */
const ANSWERS = 12_000;

const VERDICTS = new Set(['accepted', 'pending', 'rejected', 'error', 'unparseable']);

/** What must hold of any reading of any answer; null when it does. */
function readingProblem(read: ReadAnswer, status: number, ping: boolean): string | null {
  if (!VERDICTS.has(read.verdict)) return `verdict ${String(read.verdict)}`;
  if (ping && read.verdict === 'pending') return 'a ping answer read as pending';
  if (status >= 500 && read.verdict !== 'error') return `HTTP ${status} read as ${read.verdict}`;
  // A bid and its expiry must fit the ping reply (price >= 0) and what PostgreSQL stores (numeric(12,2), timestamps).
  if (read.price !== null && !(read.price >= 0 && read.price <= MAX_BID)) return `price ${read.price}`;
  if (read.expiresInSeconds !== null && !(read.expiresInSeconds >= 0 && read.expiresInSeconds <= MAX_BID_TTL_SECONDS))
    return `expiresInSeconds ${read.expiresInSeconds}`;
  for (const key of ['buyerRef', 'reason', 'redirectUrl'] as const) {
    if (read[key] !== null && typeof read[key] !== 'string') return `${key} is ${typeof read[key]}`;
  }
  return null;
}

/**
 * Malformed buyer answers (random and garbled bodies in every style, huge bodies, odd encodings,
 * any status 100-599) read by every channel preset's rules: the reader never throws and always
 * gives a verdict from the allowed set, with well-typed values.
 */
describe('reading malformed buyer answers', () => {
  const bidJson = simChannelCalls('http://127.0.0.1:9', 'fuzz', 'bid-json').ping.response;
  const rtb = simChannelCalls('http://127.0.0.1:9', 'fuzz', 'rtb-expiry').ping.response;
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;

  // What the fuzzing found: each of these failed the whole tier (one buyer's answer, every buyer's sale).
  it.each([
    ['a buyerRef nested 5,000 deep (String() overflows the stack)', bidJson, `{"status":"bid","price":5,"bid_id":${deep}}`],
    ['an accept flag nested 5,000 deep', bidJson, `{"status":${deep},"price":5}`],
    ['a negative price (the bid reply refuses it)', bidJson, '{"status":"bid","price":-5,"bid_id":"b"}'],
    ['a price numeric(12,2) cannot hold', bidJson, '{"status":"bid","price":1e15,"bid_id":"b"}'],
    ['an expiry no timestamp can hold', rtb, '{"result":"bid","price":5,"bidId":"r","expireInSeconds":1e308}'],
    ['a NUL and half a surrogate pair in the reason', bidJson, '{"status":"reject","reason":"a\\u0000b\\ud800"}'],
  ])('reads %s as a well-formed verdict', (_name, rules, body) => {
    const read = readPingAnswer(rules, 200, body);
    expect(readingProblem(read, 200, true)).toBeNull();
    const text = `${read.reason ?? ''}${read.buyerRef ?? ''}`;
    expect(storableText(text)).toBe(text);
  });

  it(`reads ${ANSWERS} malformed answers with every preset without throwing`, async () => {
    const seed = fuzzSeed(20_250_802);
    const started = Date.now();
    const answer = fc
      .constantFrom(...BUYER_STYLES)
      .chain((style) =>
        fc.record({ style: fc.constant(style), ping: fc.boolean(), status: answerStatus(), body: answerBody(style) }),
      );
    await withSeedReport(seed, () =>
      fc.assert(
        fc.property(answer, ({ style, ping, status, body }) => {
          const calls = simChannelCalls('http://127.0.0.1:9', 'fuzz', style);
          const read = ping ? readPingAnswer(calls.ping.response, status, body) : readAnswer(calls.post.response, status, body);
          const problem = readingProblem(read, status, ping);
          if (problem) throw new Error(`${style} ${ping ? 'ping' : 'post'} HTTP ${status}: ${problem}`);
        }),
        { seed, numRuns: ANSWERS },
      ),
    );
    process.stdout.write(`buyer answer fuzz: ${ANSWERS} answers read in ${Date.now() - started} ms\n`);
  }, 60_000);
});
