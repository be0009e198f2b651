import { answerRegexProblem, buyerCallSchema, isPostOnlyPath, pingCallSchema, responseRulesSchema } from './buyer-call.schema';
import { channelConfigSchema } from './channel.schema';

const URL = 'https://buyer.example.com/ping';
const RESPONSE = { accept: { path: 'ok', values: ['true'] } };

function call(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { url: URL, response: RESPONSE, ...extra };
}

function channel(ping: Record<string, unknown> | null, post: Record<string, unknown> = call()): Record<string, unknown> {
  return { name: 'c', buyerId: '00000000-0000-4000-8000-000000000001', ping, post, fixedPrice: 5 };
}

/** Every refusal as `field: message`, so a table can say which field is named. */
function refusals(
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } },
  value: unknown,
) {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error!.issues.map((i) => i.path.map(String).join('.'));
}

describe('channel save: data minimisation in the ping mapping', () => {
  it.each<[string, unknown[], string]>([
    [
      'a contact field',
      [
        { to: 'zip', from: 'zip' },
        { to: 'x', value: 1 },
        { to: 'email', from: 'contact.email' },
      ],
      'ping.mapping.2.from',
    ],
    ['the whole contact object', [{ to: 'c', from: 'contact' }], 'ping.mapping.0.from'],
    ['a nested contact path', [{ to: 'p', from: 'contact.phone.digits' }], 'ping.mapping.0.from'],
    ['consent text', [{ to: 'tcpa', from: 'consent.text' }], 'ping.mapping.0.from'],
    ['the TrustedForm certificate', [{ to: 'tf', from: 'consent.trustedFormCertUrl' }], 'ping.mapping.0.from'],
    ['the whole consent object', [{ to: 'consent', from: 'consent' }], 'ping.mapping.0.from'],
    [
      'a contact field inside concat',
      [{ to: 'where', from: ['zip', 'contact.address'], transform: { type: 'concat' } }],
      'ping.mapping.0.from.1',
    ],
    [
      'a contact field in a transform',
      [{ to: 'dob', from: 'contact.dateOfBirth', transform: { type: 'date', format: 'MM/DD/YYYY' } }],
      'ping.mapping.0.from',
    ],
  ])('refuses %s, naming the field', (_label, mapping, field) => {
    const result = channelConfigSchema.safeParse(channel(call({ mapping })));
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.join('.') === field);
    expect(issue?.message).toMatch(/contact data or consent evidence/);
  });

  it.each<[string, unknown[]]>([
    [
      'ping lead fields',
      [
        { to: 'zip', from: 'zip' },
        { to: 'age', from: 'age' },
        { to: 'i', from: 'fields.insured' },
      ],
    ],
    ['consent.given', [{ to: 'consent', from: 'consent.given' }]],
    [
      'consent flags of the ping lead',
      [
        { to: 'tf', from: 'hasTrustedForm' },
        { to: 'c', from: 'consentGiven' },
      ],
    ],
    ['a field whose name starts with "contact" but is not contact data', [{ to: 'p', from: 'fields.contactPreference' }]],
    ['constants', [{ to: 'email', value: 'none' }]],
  ])('accepts %s', (_label, mapping) => {
    expect(refusals(channelConfigSchema, channel(call({ mapping })))).toEqual([]);
  });

  it('lets the post mapping read contact data and consent evidence', () => {
    const post = call({
      mapping: [
        { to: 'email', from: 'contact.email' },
        { to: 'tcpa', from: 'consent.text' },
        { to: 'ref', from: 'buyer_ref' },
      ],
    });
    expect(refusals(channelConfigSchema, channel(call(), post))).toEqual([]);
  });

  it('refuses pending in a ping answer, not in a post answer', () => {
    const response = { ...RESPONSE, pending: { path: 'status', values: ['queued'] } };
    expect(refusals(channelConfigSchema, channel(call({ response }), call()))).toEqual(['ping.response.pending']);
    // A post may be pending when the channel says how its callbacks are verified.
    expect(refusals(channelConfigSchema, channel(null, call({ response })))).toEqual(['asyncPost']);
    expect(
      refusals(channelConfigSchema, { ...channel(null, call({ response })), asyncPost: { secret: 'callback-secret-0123' } }),
    ).toEqual([]);
  });

  it.each<[string, boolean]>([
    ['contact', true],
    ['contact.email', true],
    ['consent', true],
    ['consent.timestamp', true],
    ['consent.jornayaLeadId', true],
    ['consent.given', false],
    ['contactable', false],
    ['zip', false],
  ])('isPostOnlyPath(%s) is %s', (path, expected) => {
    expect(isPostOnlyPath(path)).toBe(expected);
  });

  it('is checked by pingCallSchema alone too', () => {
    expect(refusals(pingCallSchema, call({ mapping: [{ to: 'e', from: 'contact.email' }] }))).toEqual(['mapping.0.from']);
  });
});

describe('channel save: the post keeps the ping buyer reference', () => {
  const ping = call({ response: { ...RESPONSE, buyerRef: { path: 'id' } } });

  it('refuses a post mapping that drops it', () => {
    const post = call({ mapping: [{ to: 'zip', from: 'zip' }] });
    expect(refusals(channelConfigSchema, channel(ping, post))).toEqual(['post.mapping']);
  });

  it.each<[string, unknown[]]>([
    ['no mapping', []],
    ['a rename of buyerRefField', [{ to: 'TransactionId', from: 'buyer_ref' }]],
  ])('accepts %s', (_label, mapping) => {
    expect(refusals(channelConfigSchema, channel(ping, call({ mapping })))).toEqual([]);
  });

  it('does not ask it of a ping without a buyer reference', () => {
    expect(refusals(channelConfigSchema, channel(call(), call({ mapping: [{ to: 'zip', from: 'zip' }] })))).toEqual([]);
  });
});

describe('buyer call save-time checks', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a bad URL', { url: 'not a url' }, 'url', /URL/i],
    ['a non-HTTP URL', { url: 'ftp://buyer.example.com/x' }, 'url', /URL/i],
    ['an unknown format', { format: 'yaml' }, 'format', /json/],
    ['a bad header name', { headers: { 'x bad': 'v' } }, 'headers.x bad', /header name/],
    ['a header value with a line break', { headers: { 'x-a': 'v\r\nx-b: w' } }, 'headers.x-a', /line breaks/],
    ['an unknown auth type', { auth: { type: 'oauth', token: 't' } }, 'auth.type', /basic/],
    ['basic auth without a password', { auth: { type: 'basic', username: 'u' } }, 'auth.password', /string/],
    ['basic auth with ":" in the username', { auth: { type: 'basic', username: 'a:b', password: 'p' } }, 'auth.username', /":"/],
    ['bearer auth with an empty token', { auth: { type: 'bearer', token: '' } }, 'auth.token', /1 character/],
    [
      'an API key header with a bad name',
      { auth: { type: 'api_key', in: 'header', name: 'x key', value: 'k' } },
      'auth.name',
      /header name/,
    ],
    [
      'an API key field with an unsafe path',
      { auth: { type: 'api_key', in: 'field', name: '__proto__.key', value: 'k' } },
      'auth.name',
      /dot path/,
    ],
    ['an API key in an unknown place', { auth: { type: 'api_key', in: 'cookie', name: 'k', value: 'k' } }, 'auth.in', /header/],
    ['a signature without a secret', { signature: { header: 'X-Signature' } }, 'signature.secret', /required/],
    ['a signature with a blank secret', { signature: { secret: '   ' } }, 'signature.secret', /required/],
    [
      'a signature with the same header twice',
      { signature: { secret: 's', header: 'X-Sig', timestampHeader: 'x-sig' } },
      'signature.timestampHeader',
      /differ/,
    ],
    [
      'an unknown transform',
      { mapping: [{ to: 'a', from: 'b', transform: { type: 'eval' } }] },
      'mapping.0.transform.type',
      /date/,
    ],
    [
      'a bad date format',
      { mapping: [{ to: 'a', from: 'b', transform: { type: 'date', format: 'Q' } }] },
      'mapping.0.transform.format',
      /YYYY/,
    ],
    [
      'an unknown phone format',
      { mapping: [{ to: 'a', from: 'b', transform: { type: 'phone', format: 'dotted' } }] },
      'mapping.0.transform.format',
      /e164/,
    ],
    [
      'an empty enum map',
      { mapping: [{ to: 'a', from: 'b', transform: { type: 'enum', map: {} } }] },
      'mapping.0.transform.map',
      /at least one/,
    ],
    [
      'a boolean transform without the false value',
      { mapping: [{ to: 'a', from: 'b', transform: { type: 'boolean', true: 'Y' } }] },
      'mapping.0.transform.false',
      /string, number or boolean/,
    ],
    [
      'concat with a single path',
      { mapping: [{ to: 'a', from: 'b', transform: { type: 'concat' } }] },
      'mapping.0.from',
      /concat/,
    ],
    ['a list of paths without concat', { mapping: [{ to: 'a', from: ['b', 'c'] }] }, 'mapping.0.from', /concat/],
    ['a transform without from', { mapping: [{ to: 'a', transform: { type: 'upper' } }] }, 'mapping.0.from', /needs from/],
    [
      'a constant with a transform',
      { mapping: [{ to: 'a', value: 'x', transform: { type: 'upper' } }] },
      'mapping.0.transform',
      /constant/,
    ],
    ['an unsafe target path', { mapping: [{ to: 'a.__proto__.b', from: 'zip' }] }, 'mapping.0.to', /dot path/],
    ['an empty path part', { mapping: [{ to: 'a..b', from: 'zip' }] }, 'mapping.0.to', /dot path/],
    ['an unknown mapping key', { mapping: [{ to: 'a', from: 'b', code: 'x' }] }, 'mapping.0', /code/],
    ['an XML element name that is not one', { format: 'xml', mapping: [{ to: 'lead.1st', from: 'zip' }] }, 'mapping.0.to', /XML/],
  ])('refuses %s', (_label, extra, field, message) => {
    const result = buyerCallSchema.safeParse(call(extra));
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.map(String).join('.') === field);
    expect(issue).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('names the field through the channel too', () => {
    const result = channelConfigSchema.safeParse(channel(null, call({ signature: { header: 'X-Signature' } })));
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['post.signature.secret']);
  });

  it('accepts every auth type, a signature, each format and each transform', () => {
    const parsed = buyerCallSchema.parse(
      call({
        method: 'PUT',
        format: 'query',
        auth: { type: 'api_key', in: 'field', name: 'auth.key', value: 'k' },
        signature: { secret: 's3cret' },
        mapping: [
          { to: 'dob', from: 'dob', transform: { type: 'date', format: 'MM/DD/YYYY' } },
          { to: 'ts', from: 'ts', transform: { type: 'date', format: 'epoch' } },
          { to: 'phone', from: 'phone', transform: { type: 'phone', format: 'parens' } },
          { to: 'own', from: 'own', transform: { type: 'boolean', true: 'Y', false: 'N' } },
          { to: 'credit', from: 'credit', transform: { type: 'enum', map: { good: 'G' }, default: 'U' } },
          { to: 'state', from: 'state', transform: { type: 'upper' } },
          { to: 'mail', from: 'mail', transform: { type: 'lower' } },
          { to: 'name', from: ['first', 'last'], transform: { type: 'concat' } },
        ],
      }),
    );
    expect(parsed.signature).toEqual({ header: 'X-Signature', secret: 's3cret', timestampHeader: 'X-Timestamp' });
    expect(parsed.mapping[7]!.transform).toEqual({ type: 'concat', separator: ' ' });
    for (const auth of [
      { type: 'basic', username: 'u', password: 'p' },
      { type: 'bearer', token: 't' },
      { type: 'api_key', in: 'header', name: 'X-Api-Key', value: 'k' },
    ]) {
      expect(buyerCallSchema.parse(call({ auth })).auth).toEqual(auth);
    }
    for (const format of ['json', 'form', 'xml', 'query']) expect(buyerCallSchema.parse(call({ format })).format).toBe(format);
  });

  it('adds no defaults to a call that uses none of the new options', () => {
    const full = {
      url: URL,
      method: 'POST',
      format: 'json',
      xmlRoot: 'lead',
      headers: {},
      mapping: [],
      buyerRefField: 'id',
      response: { format: 'json', accept: { path: 'ok', values: ['1'] }, price: { path: 'p', unit: 'dollars' }, statusMap: {} },
    };
    expect(buyerCallSchema.parse(full)).toEqual(full);
  });
});

describe('answer rules save-time checks', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a regex that does not compile', { price: { regex: 'price: (\\d+' } }, 'price.regex', /does not compile/],
    [
      'a regex without a capture group',
      { price: { regex: 'price: \\d+' } },
      'price.regex',
      /exactly one capture group \(found 0\)/,
    ],
    ['a regex with two capture groups', { buyerRef: { regex: '(id)=(\\w+)' } }, 'buyerRef.regex', /found 2/],
    ['a regex with nested repeats', { reason: { regex: '((?:\\w+\\s?)+)$' } }, 'reason.regex', /exponential/],
    ['a regex with a repeated repeat', { reason: { regex: '(?:(a*)b)*' } }, 'reason.regex', /(exponential|capture group)/],
    ['a regex longer than 200 characters', { buyerRef: { regex: `(${'a'.repeat(200)})` } }, 'buyerRef.regex', /200/],
    ['unknown regex flags', { buyerRef: { regex: '(a)', flags: 'g' } }, 'buyerRef.flags', /i, m and s/],
    ['flags without a regex', { buyerRef: { path: 'id', flags: 'i' } }, 'buyerRef.flags', /regex/],
    ['both path and regex', { buyerRef: { path: 'id', regex: 'id=(\\w+)' } }, 'buyerRef.path', /either/],
    ['neither path nor regex', { redirectUrl: {} }, 'redirectUrl.path', /either/],
    ['reason with neither paths nor regex', { reason: {} }, 'reason.paths', /either/],
    ['a bad accept regex', { accept: { regex: '[', values: ['1'] } }, 'accept.regex', /does not compile/],
    ['a pending rule without values', { pending: { path: 'status' } }, 'pending.values', /array/],
    ['a text answer read by path', { format: 'text', accept: { path: 'ok', values: ['1'] } }, 'accept.regex', /text answer/],
    ['a bad status in the status map', { statusMap: { '20x': 'reject' } }, 'statusMap.20x', /.+/],
  ])('refuses %s', (_label, extra, field, message) => {
    const result = responseRulesSchema.safeParse({ ...RESPONSE, ...extra });
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.map(String).join('.') === field);
    expect(issue).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('accepts regex rules on a text answer', () => {
    const rules = responseRulesSchema.parse({
      format: 'text',
      accept: { regex: '^(OK|ERR)', values: ['ok'] },
      pending: { regex: '^(QUEUED)', values: ['queued'] },
      price: { regex: 'price=\\$?([\\d.]+)', unit: 'dollars' },
      buyerRef: { regex: 'id=(\\w+)', flags: 'i' },
      reason: { regex: 'reason=(.*)$', flags: 'm' },
      redirectUrl: { regex: 'url=(\\S+)' },
      expiresInSeconds: { regex: 'ttl=(\\d+)' },
    });
    expect(rules.buyerRef).toEqual({ regex: 'id=(\\w+)', flags: 'i' });
  });

  it.each<[string, string | null]>([
    ['<b>(\\d+)</b>', null],
    ['(?<price>\\d+)', null],
    ['(?:a|b)(c)', null],
    ['[(](\\d+)[)]', null],
    ['\\((\\d+)\\)', null],
    ['(\\d+)?x', null],
    ['(\\d{2}){3}', null],
    ['(\\d{2})+', null],
    ['(\\d+){2,}', 'a repeated group that itself repeats, like (a+)+, can take exponential time'],
    ['(a|b', expect.stringMatching(/^does not compile/) as unknown as string],
  ])('answerRegexProblem(%s)', (source, expected) => {
    expect(answerRegexProblem(source)).toEqual(expected);
  });
});
