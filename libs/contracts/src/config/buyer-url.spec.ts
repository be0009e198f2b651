import { buyerCallSchema } from './buyer-call.schema';
import { forbiddenAddressReason, forbiddenHostReason, isLoopbackHost } from './buyer-url';

describe('buyer addresses the platform may call (SSRF)', () => {
  it.each([
    '169.254.169.254',
    '169.254.0.1',
    'fe80::1',
    '[fe80::abcd]',
    '0.0.0.0',
    '::',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '224.0.0.1',
    '255.255.255.255',
  ])('never %s, whatever the settings', (address) => {
    expect(forbiddenAddressReason(address, true)).not.toBeNull();
    expect(forbiddenAddressReason(address, false)).not.toBeNull();
  });

  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '::1',
    '[::1]',
    '::ffff:127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    'fd00:ec2::254',
    'fc00::1',
  ])('loopback and private %s only when allowed', (address) => {
    expect(forbiddenAddressReason(address, false)).not.toBeNull();
    expect(forbiddenAddressReason(address, true)).toBeNull();
  });

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2001:4860:4860::8888', '1.1.1.1'])('public %s always', (address) => {
    expect(forbiddenAddressReason(address, false)).toBeNull();
  });

  it('judges names it knows without DNS and leaves the others to connect time', () => {
    expect(forbiddenHostReason('metadata.google.internal', true)).toMatch(/metadata/);
    expect(forbiddenHostReason('METADATA.GOOGLE.INTERNAL.', true)).toMatch(/metadata/);
    expect(forbiddenHostReason('localhost', false)).toMatch(/loopback/);
    expect(forbiddenHostReason('buyer.localhost', true)).toBeNull();
    expect(forbiddenHostReason('buyer.example.com', false)).toBeNull();
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('api.localhost')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });

  it('refuses metadata and link-local URLs when a channel is saved, naming the field', () => {
    const response = { accept: { path: 'ok', values: ['true'] } };
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://metadata.google.internal/',
      'http://[fe80::1]/',
      'http://0.0.0.0:80/',
    ]) {
      const parsed = buyerCallSchema.safeParse({ url, response });
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues[0]!.path).toEqual(['url']);
    }
    // The URL parser's other spellings of 169.254.169.254 are normalised first.
    expect(buyerCallSchema.safeParse({ url: 'http://0xa9fea9fe/', response }).success).toBe(false);
    expect(buyerCallSchema.safeParse({ url: 'http://127.0.0.1:4100/buyer', response }).success).toBe(true);
  });
});
