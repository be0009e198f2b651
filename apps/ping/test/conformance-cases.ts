import { SIM_MODES, STYLES, type SimBuyerInput, type SimMode, type Style } from '../../buyer-sim/src';

/**
 * The conformance table: every answer style of buyer-sim against every failure mode, plus the
 * reject and expiry paths, each with what the platform must make of it.
 */

/** What one style's buyer bids (fixed, so the parsed price can be checked exactly) and where its post quotes the ping's id. */
interface StyleWire {
  /** Dollars; the buyer sends it as its style says (number, "12.50" string, cents, text). */
  bid: number;
  /** Post body field carrying the ping's id (buyer-sim README, "Post field"). */
  refField: string;
}

export const STYLE_WIRE: Record<Style, StyleWire> = {
  'transaction-json': { bid: 11.11, refField: 'TransactionId' },
  'bid-json': { bid: 12.5, refField: 'bid_id' },
  'auction-202': { bid: 13.07, refField: 'leadAuctionId' },
  'xml-form': { bid: 14.4, refField: 'id' },
  'rtb-expiry': { bid: 15.55, refField: 'bidId' },
  'cents-flags': { bid: 16.99, refField: 'lead_token' },
  'text-pipe': { bid: 17.25, refField: 'ref' },
};

export type PingOutcome = 'bid' | 'rejected' | 'timeout' | 'error' | 'unparseable';
export type PostOutcome = 'accepted' | 'rejected' | 'expired_bid';

export interface Expected {
  pinged: PingOutcome;
  /** The ping's reason, exactly or by pattern. */
  pingReason?: string | RegExp;
  httpStatus?: number | null;
  /** The trail keeps the start of what the buyer answered. */
  answerExcerpt?: boolean;
  /** Absent: no post is attempted. */
  posted?: PostOutcome;
  postReason?: string | RegExp;
  /** False when the platform must not send the post at all. */
  postSent?: boolean;
}

export interface ConformanceCase {
  /** Unique; also the sim buyer key and the campaign key. */
  name: string;
  style: Style;
  mode: SimMode;
  buyer: Partial<SimBuyerInput>;
  pingTimeoutMs: number;
  postTimeoutMs: number;
  tmaxMs: number;
  /** Kept back from pinging for the post. */
  postReserveMs: number;
  leads: number;
  expected: Expected;
}

/**
 * Generous, so a loaded test machine never turns an answer into a timeout; `late` answers after
 * its default 5 s and `hang` never, both past this.
 */
const PING_TIMEOUT_MS = 2000;
/** `slow` adds 2 s to the ping and to the post: channels that allow 5 s still sell. */
const SLOW_TIMEOUT_MS = 5000;

const TIMING = { pingTimeoutMs: PING_TIMEOUT_MS, postTimeoutMs: 2000, tmaxMs: 4500, postReserveMs: 2000 };
const SLOW_TIMING = { pingTimeoutMs: SLOW_TIMEOUT_MS, postTimeoutMs: SLOW_TIMEOUT_MS, tmaxMs: 12_000, postReserveMs: 5500 };

/** buyer-sim's post rejects; transaction-json words them "Rejected: …". */
const POST_REJECT_REASONS = /^(Rejected: )?(Duplicate lead|Invalid phone number|Outside service area)$/;

/** A ping reason the platform read from the buyer's answer, not one it made up. */
const BUYER_WORDS = /^(?!HTTP )(?!rejected$).+/;

const BY_MODE: Record<SimMode, Expected> = {
  normal: { pinged: 'bid', httpStatus: 200, posted: 'accepted' },
  slow: { pinged: 'bid', httpStatus: 200, posted: 'accepted' },
  hang: { pinged: 'timeout', pingReason: /^no answer within \d+ ms$/, httpStatus: null },
  error5xx: { pinged: 'error', pingReason: 'HTTP 503', httpStatus: 503 },
  garbage: { pinged: 'unparseable', pingReason: /^(unreadable|no) /, httpStatus: 200, answerExcerpt: true },
  empty200: { pinged: 'unparseable', pingReason: /^(unreadable|no) /, httpStatus: 200 },
  late: { pinged: 'timeout', pingReason: /^no answer within \d+ ms$/, httpStatus: null },
  bid_then_reject: { pinged: 'bid', httpStatus: 200, posted: 'rejected', postReason: POST_REJECT_REASONS },
};

function modeCase(style: Style, mode: SimMode): ConformanceCase {
  return {
    name: `${style}-${mode}`.replace(/_/g, '-'),
    style,
    mode,
    buyer: { mode },
    ...(mode === 'slow' ? SLOW_TIMING : TIMING),
    // cents-flags words its flags three ways: enough answers to see them all.
    leads: style === 'cents-flags' && mode === 'normal' ? 9 : 1,
    expected: BY_MODE[mode],
  };
}

function rejectCases(style: Style): ConformanceCase[] {
  const base = { style, mode: 'normal' as const, ...TIMING };
  return [
    {
      ...base,
      name: `${style}-ping-reject`,
      buyer: { pingRejectRate: 1 },
      // auction-202 says "quota reached" with HTTP 202 for about half its rejects; cents-flags varies its reason field.
      leads: style === 'auction-202' || style === 'cents-flags' ? 6 : 1,
      expected: { pinged: 'rejected', pingReason: BUYER_WORDS },
    },
    {
      ...base,
      name: `${style}-post-reject`,
      buyer: { postRejectRate: 1 },
      leads: 1,
      expected: { pinged: 'bid', httpStatus: 200, posted: 'rejected', postReason: POST_REJECT_REASONS },
    },
  ];
}

/** Bids that expire: announced (the platform must not post) and silent (the buyer refuses the post). */
const EXPIRY_CASES: ConformanceCase[] = [
  {
    name: 'rtb-expiry-expired-bid',
    style: 'rtb-expiry',
    mode: 'normal',
    buyer: { expireInSeconds: 0.001 },
    ...TIMING,
    leads: 1,
    expected: { pinged: 'bid', httpStatus: 200, posted: 'expired_bid', postSent: false },
  },
  {
    name: 'bid-json-expired-at-buyer',
    style: 'bid-json',
    mode: 'normal',
    buyer: { expireInSeconds: 0.001 },
    ...TIMING,
    leads: 1,
    expected: { pinged: 'bid', httpStatus: 200, posted: 'rejected', postReason: 'bid expired' },
  },
];

export const CONFORMANCE_CASES: ConformanceCase[] = [
  ...STYLES.flatMap((style) => SIM_MODES.map((mode) => modeCase(style, mode))),
  ...STYLES.flatMap(rejectCases),
  ...EXPIRY_CASES,
];
