import fc from 'fast-check';

/**
 * JSON text JSON.stringify can't write (`1e400`, `-0.0`, 30 digits, 10,000 levels deep): kept
 * inside a string as base64, then put back by `toJsonText`, so the server's parser sees the text itself.
 */
const RAW_MARK = '\u0001raw:';
export const rawJson = (text: string): string => `${RAW_MARK}${Buffer.from(text).toString('base64')}`;

/** JSON text of a value, with `rawJson` markers turned back into the text they hold. */
export function toJsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/"\\u0001raw:([A-Za-z0-9+/=]*)"/g, (_m, b64: string) =>
    Buffer.from(b64, 'base64').toString(),
  );
}

/** Strings that break parsers, databases, logs and regexes, not only random text. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ unit: 'binary-ascii', maxLength: 20 }),
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '\uD800',
      'x\uDFFFy',
      '\u202Eevil',
      '\uFEFF',
      '\r\nx-injected: 1',
      '💥🔥',
      'e\u0301',
      '../../etc/passwd',
      '<script>alert(1)</script>',
      "' OR 1=1 --",
      '%00%ff',
      '${jndi:ldap://127.0.0.1/x}',
      '__proto__',
      'constructor',
      'NaN',
      'Infinity',
      '-1',
      '1e400',
      'true',
      'null',
      '0x10',
      '2024-02-30',
      '9999-12-31T23:59:59Z',
    ),
    // Over every max length the schemas set, and past the 64 KB body limit on the largest.
    fc.constantFrom(101, 201, 255, 1001, 5001, 20_000, 70_000).map((n) => 'x'.repeat(n)),
  );

/** Numbers out of every range: negative, fractional, huge, and literals JSON.parse turns into Infinity. */
export const hostileNumber = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -1, -0.5, 0.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e15, 1e21, -1e308, Number.MAX_VALUE, 5e-324),
    fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '-0.0', '1E-400', '0.1e1').map(rawJson),
  );

/** `depth` levels of `[` or `{"a":` as JSON text: deep enough to hurt a recursive walker. */
export function nestedText(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

export const deepValue = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(20, 200, 2_000, 10_000), fc.constantFrom<'array' | 'object'>('array', 'object'))
    .map(([depth, kind]) => rawJson(nestedText(depth, kind)));

/** Any value a JSON body can carry in a field, weighted toward the ones that break things. */
export const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: hostileString() },
    { weight: 3, arbitrary: hostileNumber() },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        null,
        true,
        false,
        [],
        {},
        [null],
        { '': 1 },
        JSON.parse('{"__proto__":{"admin":true}}') as unknown,
      ),
    },
    { weight: 1, arbitrary: deepValue() },
    { weight: 1, arbitrary: fc.array(hostileString(), { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.array(fc.constant({ a: 'b' }), { minLength: 1000, maxLength: 3000 }) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
