import fc from 'fast-check';
import { hostileString } from './hostile-values';

/**
 * Header values undici will send: visible ASCII, tab and obs-text (0x80-0xFF). Anything else the
 * client refuses before it reaches the server, so generating it would test the client, not us.
 */
const headerText = (maxLength: number) =>
  fc
    .string({ unit: 'binary-ascii', maxLength })
    .map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '').trim())
    .filter((s) => s.length > 0);

/** A credential header: the right one, a near miss, junk or very long. */
export function credential(valid: readonly string[]): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...valid) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constantFrom(undefined, ' ', 'null', 'undefined', '\t'),
        fc.constantFrom(...valid).map((v) => `${v} `),
        fc.constantFrom(...valid).map((v) => v.slice(1)),
        fc.constantFrom(...valid).map((v) => v.toUpperCase()),
        fc.constantFrom(...valid).map((v) => `${v}\u00e9`),
        fc.constant('k'.repeat(3000)),
        headerText(60),
      ),
    },
  );
}

/** Values for the tmax header: in range, out of range, and not numbers at all. */
export const tmaxHeader = (): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '50',
        '49',
        '60000',
        '60001',
        '0',
        '-1',
        '1e3',
        '0x64',
        ' 300 ',
        '300.5',
        'NaN',
        'Infinity',
        '1e400',
        '99999999999999999999',
        '',
        'abc',
        '300, 400',
      ),
    },
    { weight: 1, arbitrary: headerText(20) },
  );

/** Other headers partners send, right or odd, plus random names; never ones undici refuses (connection, expect...). */
export const extraHeaders = (): fc.Arbitrary<Record<string, string>> =>
  fc.dictionary(
    fc.oneof(
      fc.constantFrom(
        'idempotency-key',
        'x-request-id',
        'traceparent',
        'x-forwarded-for',
        'accept',
        'accept-encoding',
        'accept-charset',
        'content-encoding',
        'content-language',
        'cookie',
        'authorization',
        'origin',
        'range',
        'if-none-match',
        'x-http-method-override',
      ),
      fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
    ),
    fc.oneof(headerText(80), fc.constantFrom('gzip', 'br', 'identity', '00-zzz-00', '*', 'x'.repeat(2000))),
    { maxKeys: 3 },
  );

/** Path ids: real ones, other UUIDs, near misses, junk, traversal and encoded bytes. */
export function pathId(real: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...real) },
    { weight: 2, arbitrary: fc.uuid() },
    {
      weight: 4,
      arbitrary: fc.oneof(
        fc.constantFrom(...real).map((id) => id.toUpperCase()),
        fc.constantFrom(...real).map((id) => id.slice(0, -1)),
        fc.constantFrom(...real).map((id) => `${id}0`),
        fc.constantFrom(...real).map((id) => id.replace(/-/g, '')),
        fc.constantFrom(...real).map((id) => `{${id}}`),
        fc.constantFrom(
          '0',
          '-1',
          'null',
          'undefined',
          '00000000-0000-0000-0000-000000000000',
          'ffffffff-ffff-ffff-ffff-ffffffffffff',
          '%00',
          '%ff',
          '%E0%A4%A',
          '%',
          '..',
          '..%2F..%2Fetc%2Fpasswd',
          '%2e%2e',
          "1'%20OR%20'1'%3D'1",
          percentEncode('💥'),
          percentEncode('\u0000'),
          'a'.repeat(3000),
        ),
        fc.webSegment(),
      ),
    },
  );
}

/**
 * Query parameters with one thing wrong: a valid set where one value is a tricky one for its key
 * (out of range, year 0000, a bad cursor; keys not in `valid` are added), a hostile string, or missing.
 */
export function nearValidQuery(
  valid: Record<string, string>,
  tricky: Record<string, readonly string[]> = {},
): fc.Arbitrary<Record<string, string>> {
  const keys = Object.keys(valid);
  const trickyKeys = Object.keys(tricky).filter((k) => (tricky[k]?.length ?? 0) > 0);
  const set = (key: string, value: string) => ({ ...valid, [key]: value });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(valid) },
    ...(trickyKeys.length > 0
      ? [
          {
            weight: 4,
            arbitrary: fc.constantFrom(...trickyKeys).chain((k) => fc.constantFrom(...tricky[k]!).map((v) => set(k, v))),
          },
        ]
      : []),
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...keys), hostileString()).map(([k, v]) => set(k, v)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))),
    },
  );
}

/** Percent-encodes the UTF-8 bytes of any string; unlike encodeURIComponent, a lone surrogate doesn't throw. */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** A query string: none, a plausible one, repeated keys, prototype keys, bad percent-encoding, huge. */
export function queryString(plausible: fc.Arbitrary<Record<string, string>> = fc.constant({})): fc.Arbitrary<string> {
  const encode = (q: Record<string, string>) =>
    Object.entries(q)
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join('&');
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 8, arbitrary: plausible.map((q) => `?${encode(q)}`) },
    { weight: 2, arbitrary: fc.webQueryParameters().map((q) => `?${q}`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '?',
        '?&&&',
        '?=',
        '?a',
        '?groupBy=channel&groupBy=buyer',
        '?__proto__=x&constructor=y',
        '?__proto__[admin]=1',
        '?a[b][c]=1',
        '?from=%E0%A4%A&to=%',
        '?%00=%00',
        '?groupBy=%F0%9F%92%A5',
        `?q=${'x'.repeat(4000)}`,
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .dictionary(fc.string({ maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 20 }), { maxKeys: 4 })
        .map((q) => `?${encode(q)}`),
    },
  );
}
