import { buyerCallSchema } from '@pingtree/contracts';
import { redactSecrets } from './redact-secrets';

const call = (extra: Record<string, unknown>) =>
  buyerCallSchema.parse({ url: 'http://127.0.0.1:9/p', response: { accept: { path: 'ok', values: ['true'] } }, ...extra });

describe('redactSecrets', () => {
  it.each([
    [
      'api key in a field',
      { auth: { type: 'api_key', in: 'field', name: 'key', value: 'k-123456' } },
      '{"key":"k-123456","zip":"94105"}',
    ],
    ['bearer token', { auth: { type: 'bearer', token: 'tok-abcdef' } }, 'token=tok-abcdef&zip=94105'],
    ['basic password', { auth: { type: 'basic', username: 'u', password: 'pw-secret' } }, '<lead><pw>pw-secret</pw></lead>'],
    ['signing secret', { signature: { secret: 'whsec_1234' } }, 'whsec_1234 leaked'],
  ])('blanks the %s', (_label, extra, body) => {
    const out = redactSecrets(body, call(extra));
    expect(out).toContain('[redacted]');
    expect(out).not.toMatch(/k-123456|tok-abcdef|pw-secret|whsec_1234/);
  });

  it('leaves a body without credentials as it is', () => {
    expect(redactSecrets('{"zip":"94105"}', call({}))).toBe('{"zip":"94105"}');
  });
});
