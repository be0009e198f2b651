import { buyerCallSchema, type BuyerCall } from '@pingtree/contracts';
import type { z } from 'zod';
import { buildRequest, mapPayload } from './request-builder';

type CallInput = Omit<z.input<typeof buyerCallSchema>, 'url' | 'response'> & { url?: string };

function call(input: CallInput = {}): BuyerCall {
  return buyerCallSchema.parse({
    url: 'https://buyer.example.com/ping',
    response: { accept: { path: 'ok', values: ['true'] } },
    ...input,
  });
}

const PAYLOAD = {
  leadId: '00000000-0000-4000-8000-000000000001',
  state: 'CA',
  zip: '94105',
  age: 40,
  consentGiven: true,
  fields: { insured: true, vehicleYear: 2019, vehicleMake: 'Toyota' },
};

describe('mapPayload', () => {
  it('sends the canonical payload as it is when there is no mapping', () => {
    expect(mapPayload(call(), PAYLOAD)).toBe(PAYLOAD);
  });

  it.each<[string, CallInput['mapping'], Record<string, unknown>]>([
    ['from → to, renamed', [{ to: 'zip_code', from: 'zip' }], { zip_code: '94105' }],
    ['from a nested path', [{ to: 'insured', from: 'fields.insured' }], { insured: true }],
    ['to a nested path', [{ to: 'lead.geo.zip', from: 'zip' }], { lead: { geo: { zip: '94105' } } }],
    [
      'several fields into the same nested object',
      [
        { to: 'lead.zip', from: 'zip' },
        { to: 'lead.state', from: 'state' },
        { to: 'vehicle.year', from: 'fields.vehicleYear' },
      ],
      { lead: { zip: '94105', state: 'CA' }, vehicle: { year: 2019 } },
    ],
    ['a string constant', [{ to: 'api_key', value: 'k-123' }], { api_key: 'k-123' }],
    ['a numeric constant', [{ to: 'version', value: 2 }], { version: 2 }],
    ['a zero constant', [{ to: 'test', value: 0 }], { test: 0 }],
    ['a false constant', [{ to: 'test', value: false }], { test: false }],
    ['an empty string constant', [{ to: 'note', value: '' }], { note: '' }],
    ['value wins over from', [{ to: 'state', from: 'state', value: 'XX' }], { state: 'XX' }],
    ['a boolean read from the payload', [{ to: 'consent', from: 'consentGiven' }], { consent: true }],
    [
      'a missing from path is left out',
      [
        { to: 'city', from: 'city' },
        { to: 'zip', from: 'zip' },
      ],
      { zip: '94105' },
    ],
    ['a from path through a scalar is left out', [{ to: 'x', from: 'zip.first' }], {}],
    ['neither from nor value is left out', [{ to: 'nothing' }], {}],
    ['only mapped fields go out', [{ to: 'age', from: 'age' }], { age: 40 }],
    ['a whole object can be copied', [{ to: 'data', from: 'fields' }], { data: PAYLOAD.fields }],
  ])('maps %s', (_label, mapping, expected) => {
    expect(mapPayload(call({ mapping }), PAYLOAD)).toEqual(expected);
  });

  it('maps a falsy value read from the payload', () => {
    const mapped = mapPayload(
      call({
        mapping: [
          { to: 'insured', from: 'fields.insured' },
          { to: 'n', from: 'n' },
        ],
      }),
      {
        fields: { insured: false },
        n: 0,
      },
    );
    expect(mapped).toEqual({ insured: false, n: 0 });
  });

  it('reads array elements by index', () => {
    const mapped = mapPayload(call({ mapping: [{ to: 'first', from: 'list.0.name' }] }), {
      list: [{ name: 'a' }, { name: 'b' }],
    });
    expect(mapped).toEqual({ first: 'a' });
  });

  it('lets a later nested mapping replace an earlier scalar at the same key', () => {
    const mapped = mapPayload(
      call({
        mapping: [
          { to: 'lead', value: 'x' },
          { to: 'lead.zip', from: 'zip' },
        ],
      }),
      PAYLOAD,
    );
    expect(mapped).toEqual({ lead: { zip: '94105' } });
  });

  it('does not change the payload', () => {
    const payload = structuredClone(PAYLOAD);
    mapPayload(
      call({
        mapping: [
          { to: 'fields.insured', value: false },
          { to: 'zip', value: '00000' },
        ],
      }),
      payload,
    );
    expect(payload).toEqual(PAYLOAD);
  });
});

describe('buildRequest', () => {
  describe('json', () => {
    it('sends the mapped payload as JSON with content-type application/json', () => {
      const built = buildRequest(
        call({
          mapping: [
            { to: 'lead.zip', from: 'zip' },
            { to: 'key', value: 'k' },
          ],
        }),
        PAYLOAD,
      );
      expect(built).toEqual({
        method: 'POST',
        url: 'https://buyer.example.com/ping',
        headers: { 'content-type': 'application/json' },
        body: '{"lead":{"zip":"94105"},"key":"k"}',
      });
    });

    it('sends the whole payload when there is no mapping', () => {
      const built = buildRequest(call(), PAYLOAD);
      expect(JSON.parse(built.body!)).toEqual(PAYLOAD);
    });

    it.each([['PUT' as const], ['POST' as const]])('keeps method %s', (method) => {
      expect(buildRequest(call({ method }), PAYLOAD).method).toBe(method);
    });
  });

  describe('form', () => {
    it('flattens nested objects to dot keys and url-encodes them', () => {
      const built = buildRequest(
        call({
          format: 'form',
          mapping: [
            { to: 'lead.zip', from: 'zip' },
            { to: 'lead.state', from: 'state' },
            { to: 'insured', from: 'fields.insured' },
            { to: 'year', from: 'fields.vehicleYear' },
            { to: 'note', value: 'a&b=c d' },
          ],
        }),
        PAYLOAD,
      );
      expect(built.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(built.body).toBe('lead.zip=94105&lead.state=CA&insured=true&year=2019&note=a%26b%3Dc+d');
      expect(Object.fromEntries(new URLSearchParams(built.body))).toEqual({
        'lead.zip': '94105',
        'lead.state': 'CA',
        insured: 'true',
        year: '2019',
        note: 'a&b=c d',
      });
    });

    it('flattens the canonical payload, joins arrays with commas and leaves out nulls', () => {
      const built = buildRequest(call({ format: 'form' }), { a: { b: { c: 1 } }, list: ['x', 'y'], gone: null, zero: 0 });
      expect(Object.fromEntries(new URLSearchParams(built.body))).toEqual({ 'a.b.c': '1', list: 'x,y', zero: '0' });
    });
  });

  describe('xml', () => {
    it('wraps the payload in the root element, nesting objects', () => {
      const built = buildRequest(
        call({
          format: 'xml',
          xmlRoot: 'request',
          mapping: [
            { to: 'lead.zip', from: 'zip' },
            { to: 'lead.insured', from: 'fields.insured' },
            { to: 'source', value: 'pt' },
          ],
        }),
        PAYLOAD,
      );
      expect(built.headers['content-type']).toBe('application/xml');
      expect(built.body).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><request><lead><zip>94105</zip><insured>true</insured></lead><source>pt</source></request>',
      );
    });

    it('uses <lead> as the default root', () => {
      const built = buildRequest(call({ format: 'xml', mapping: [{ to: 'zip', from: 'zip' }] }), PAYLOAD);
      expect(built.body).toBe('<?xml version="1.0" encoding="UTF-8"?><lead><zip>94105</zip></lead>');
    });

    it.each([
      ['<', '&lt;'],
      ['>', '&gt;'],
      ['&', '&amp;'],
      ["'", '&apos;'],
      ['"', '&quot;'],
      ['Tom & Jerry\'s <"best"> deal', 'Tom &amp; Jerry&apos;s &lt;&quot;best&quot;&gt; deal'],
      ['&amp;', '&amp;amp;'],
    ])('escapes %j as %s', (raw, escaped) => {
      const built = buildRequest(call({ format: 'xml', mapping: [{ to: 'note', value: raw }] }), PAYLOAD);
      expect(built.body).toBe(`<?xml version="1.0" encoding="UTF-8"?><lead><note>${escaped}</note></lead>`);
    });

    it('joins arrays with commas and leaves out nulls', () => {
      const built = buildRequest(call({ format: 'xml' }), { list: ['a', '<b>'], gone: null, n: 0 });
      expect(built.body).toBe('<?xml version="1.0" encoding="UTF-8"?><lead><list>a,&lt;b&gt;</list><n>0</n></lead>');
    });
  });

  describe('GET', () => {
    it.each([['json' as const], ['form' as const], ['xml' as const]])(
      'puts the flattened fields in the query string, with no body and no content-type (format %s)',
      (format) => {
        const built = buildRequest(
          call({
            method: 'GET',
            format,
            url: 'https://buyer.example.com/ping?key=abc',
            headers: { 'x-api-key': 'secret' },
            mapping: [
              { to: 'lead.zip', from: 'zip' },
              { to: 'state', from: 'state' },
              { to: 'note', value: 'a&b c' },
            ],
          }),
          PAYLOAD,
        );
        expect(built.method).toBe('GET');
        expect(built.body).toBeUndefined();
        expect(built.headers).toEqual({ 'x-api-key': 'secret' });
        const url = new URL(built.url);
        expect(url.origin + url.pathname).toBe('https://buyer.example.com/ping');
        expect(Object.fromEntries(url.searchParams)).toEqual({ key: 'abc', 'lead.zip': '94105', state: 'CA', note: 'a&b c' });
      },
    );

    it('replaces a query parameter already in the URL with the mapped one', () => {
      const built = buildRequest(
        call({ method: 'GET', url: 'https://buyer.example.com/ping?state=XX', mapping: [{ to: 'state', from: 'state' }] }),
        PAYLOAD,
      );
      expect(new URL(built.url).searchParams.getAll('state')).toEqual(['CA']);
    });
  });

  describe('headers', () => {
    it.each([['json' as const], ['form' as const], ['xml' as const]])('keeps the channel headers (%s)', (format) => {
      const headers = { authorization: 'Bearer t', 'x-campaign': 'c1' };
      const built = buildRequest(call({ format, headers }), PAYLOAD);
      expect(built.headers).toMatchObject(headers);
    });

    it.each([['json' as const], ['form' as const], ['xml' as const]])("keeps the channel's own content-type (%s)", (format) => {
      const built = buildRequest(call({ format, headers: { 'content-type': 'text/plain; charset=utf-8' } }), PAYLOAD);
      expect(built.headers).toEqual({ 'content-type': 'text/plain; charset=utf-8' });
    });

    it('does not change the channel headers', () => {
      const c = call({ headers: { authorization: 'Bearer t' } });
      buildRequest(c, PAYLOAD);
      expect(c.headers).toEqual({ authorization: 'Bearer t' });
    });
  });
});

describe('mapPayload with transforms', () => {
  const FULL = {
    ...PAYLOAD,
    contact: { firstName: 'Jane', lastName: 'Doe', phone: '+14155550123', dateOfBirth: '1984-07-09', address: '' },
    consent: { given: true, timestamp: '2024-05-01T10:20:30Z' },
    fields: { ...PAYLOAD.fields, homeowner: 'own', credit: 'fair' },
  };

  it('reshapes each field as configured', () => {
    const mapped = mapPayload(
      call({
        mapping: [
          { to: 'lead.name', from: ['contact.firstName', 'contact.lastName'], transform: { type: 'concat' } },
          { to: 'lead.phone', from: 'contact.phone', transform: { type: 'phone', format: 'dashed' } },
          { to: 'lead.dob', from: 'contact.dateOfBirth', transform: { type: 'date', format: 'MM/DD/YYYY' } },
          { to: 'tcpa.at', from: 'consent.timestamp', transform: { type: 'date', format: 'epoch' } },
          { to: 'insured', from: 'fields.insured', transform: { type: 'boolean', true: 'Y', false: 'N' } },
          { to: 'own', from: 'fields.homeowner', transform: { type: 'enum', map: { own: 'Homeowner', rent: 'Renter' } } },
          { to: 'credit', from: 'fields.credit', transform: { type: 'enum', map: { good: 'G' }, default: 'Unknown' } },
          { to: 'make', from: 'fields.vehicleMake', transform: { type: 'upper' } },
          { to: 'st', from: 'state', transform: { type: 'lower' } },
          { to: 'where', from: ['city', 'state', 'zip'], transform: { type: 'concat', separator: ', ' } },
        ],
      }),
      FULL,
    );
    expect(mapped).toEqual({
      lead: { name: 'Jane Doe', phone: '415-555-0123', dob: '07/09/1984' },
      tcpa: { at: 1714558830 },
      insured: 'Y',
      own: 'Homeowner',
      credit: 'Unknown',
      make: 'TOYOTA',
      st: 'ca',
      where: 'CA, 94105',
    });
  });

  it('leaves out a field its transform cannot read, and a missing one', () => {
    const mapped = mapPayload(
      call({
        mapping: [
          { to: 'phone', from: 'fields.vehicleMake', transform: { type: 'phone', format: 'e164' } },
          { to: 'dob', from: 'nothing', transform: { type: 'date', format: 'YYYY-MM-DD' } },
          { to: 'own', from: 'fields.homeowner', transform: { type: 'enum', map: { rent: 'R' } } },
          { to: 'addr', from: ['contact.address', 'nothing'], transform: { type: 'concat' } },
          { to: 'zip', from: 'zip' },
        ],
      }),
      FULL,
    );
    expect(mapped).toEqual({ zip: '94105' });
  });
});

describe('buildRequest with format query', () => {
  it.each([['POST' as const], ['PUT' as const], ['GET' as const]])(
    'puts the fields in the query string with no body (%s)',
    (method) => {
      const built = buildRequest(
        call({
          method,
          format: 'query',
          url: 'https://buyer.example.com/ping?key=abc',
          mapping: [
            { to: 'lead.zip', from: 'zip' },
            { to: 'insured', from: 'fields.insured', transform: { type: 'boolean', true: 1, false: 0 } },
          ],
        }),
        PAYLOAD,
      );
      expect(built.method).toBe(method);
      expect(built.body).toBeUndefined();
      expect(built.headers).toEqual({});
      expect(Object.fromEntries(new URL(built.url).searchParams)).toEqual({ key: 'abc', 'lead.zip': '94105', insured: '1' });
    },
  );

  it('sends the canonical payload flattened when there is no mapping', () => {
    const built = buildRequest(call({ format: 'query' }), { zip: '94105', fields: { insured: true } });
    expect(Object.fromEntries(new URL(built.url).searchParams)).toEqual({ zip: '94105', 'fields.insured': 'true' });
  });
});
