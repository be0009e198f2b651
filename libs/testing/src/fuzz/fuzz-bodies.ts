import fc from 'fast-check';
import { nestedText, toJsonText } from './hostile-values';
import { nearValid } from './near-valid';

/** What goes on the wire: text is sent as UTF-8, a Buffer byte for byte. */
export type FuzzBody = string | Buffer;

/** Byte sequences that are not UTF-8: a lone continuation byte, overlong forms, an encoded surrogate, a cut sequence. */
const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0xc3, 0x28],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

/** Valid JSON text with one string value's characters replaced by bytes that are not UTF-8. */
function withInvalidUtf8(text: string, at: number, bytes: readonly number[]): Buffer {
  const quote = text.indexOf('":"', Math.min(at, Math.max(0, text.length - 1)));
  const cut = quote < 0 ? text.indexOf('"') + 1 : quote + 3;
  return Buffer.concat([Buffer.from(text.slice(0, cut)), Buffer.from(bytes), Buffer.from(text.slice(cut))]);
}

/** Text JSON.parse chokes on or reads oddly: cut short, doubled keys, comments, trailing commas, a BOM. */
function garbled(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n)),
    fc.constant(text.replace('{', '{"campaign":1,')),
    fc.constant(`${text},`),
    fc.constant(`${text}${text}`),
    fc.constant(`\uFEFF${text}`),
    fc.constant(text.replace(/}$/, ',}')),
    fc.constant(`/* note */${text}`),
    fc.constant(text.replace(/"/g, "'")),
    fc.constant(`${' '.repeat(70_000)}${text}`),
  );
}

/** Deep nesting as raw text, past what any sane body needs (the body limit still applies). */
const deepText = fc
  .tuple(fc.constantFrom(100, 5_000, 30_000), fc.constantFrom<'array' | 'object'>('array', 'object'))
  .map(([depth, kind]) => nestedText(depth, kind));

/**
 * Request bodies for a JSON endpoint whose valid body is `valid`: mostly near-valid bodies (one
 * field wrong), then random JSON, random values, garbled JSON, random bytes, invalid UTF-8,
 * huge and deep bodies, other encodings.
 */
export function fuzzBody(valid: unknown): fc.Arbitrary<FuzzBody | undefined> {
  const validText = toJsonText(valid);
  return fc.oneof(
    { weight: 8, arbitrary: nearValid(valid).map(toJsonText) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3 }).map(toJsonText) },
    { weight: 2, arbitrary: garbled(validText) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.nat({ max: validText.length }), fc.constantFrom(...INVALID_UTF8))
        .map(([at, bytes]) => withInvalidUtf8(validText, at, bytes)),
    },
    { weight: 1, arbitrary: deepText },
    { weight: 1, arbitrary: fc.constant(Buffer.from(validText, 'utf16le')) },
    { weight: 1, arbitrary: fc.constant(Buffer.from(validText, 'latin1')) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', '0', '"x"', '[]', '{}', 'true', '\u0000') },
    { weight: 1, arbitrary: fc.constantFrom(undefined) },
    { weight: 1, arbitrary: fc.constant(`{"pad":"${'x'.repeat(70_000)}"}`) },
  );
}

/** Content types a client may send, right or wrong; undefined sends none. */
export const fuzzContentType = (): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant('application/json') },
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        undefined,
        'application/json; charset=utf-8',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'APPLICATION/JSON',
        'application/json;',
        'application/vnd.api+json',
        'application/json, text/plain',
        'text/plain',
        'text/csv',
        'text/csv; charset=utf-8',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=xyz',
        'application/xml',
        'application/octet-stream',
        '',
        ';;;',
        '*/*',
        'application/\u00ff',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 30 }) },
  );
