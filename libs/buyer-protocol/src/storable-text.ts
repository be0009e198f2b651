/** NUL, and UTF-16 halves without their pair: text PostgreSQL (text and jsonb) refuses to store. */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A buyer's text as we can keep it: each unstorable character becomes U+FFFD. Answers end up in
 * post attempts and in the audit trail; one NUL (`\u0000` in a JSON string, or a raw byte) would
 * make PostgreSQL refuse the row, and with it a whole batch of other leads' events.
 */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/** The first `chars` characters of an answer, for the trail: a cut through an emoji leaves U+FFFD, not half of it. */
export function answerExcerpt(body: string, chars: number): string {
  return storableText(body.slice(0, chars));
}
