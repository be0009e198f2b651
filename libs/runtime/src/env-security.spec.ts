import { randomBytes } from 'node:crypto';
import { envSchema } from './env';

const KEY = `k1:${randomBytes(32).toString('base64')}`;

describe('security settings in the environment', () => {
  const issueOf = (env: Record<string, string>, name: string) =>
    envSchema.safeParse(env).error?.issues.find((i) => i.path[0] === name)?.message;

  it('requires PINGTREE_ENCRYPTION_KEYS, saying what it should look like', () => {
    expect(issueOf({}, 'PINGTREE_ENCRYPTION_KEYS')).toMatch(/required: keyId:base64-of-32-bytes/);
  });

  it('refuses a bad key list naming the key id, never the key material', () => {
    const material = randomBytes(16).toString('base64');
    const message = issueOf({ PINGTREE_ENCRYPTION_KEYS: `k9:${material}` }, 'PINGTREE_ENCRYPTION_KEYS');
    expect(message).toMatch(/key "k9": must decode to 32 bytes/);
    expect(message).not.toContain(material);
  });

  it('refuses private buyer URLs unless PINGTREE_ALLOW_PRIVATE_BUYER_URLS=true', () => {
    expect(envSchema.parse({ PINGTREE_ENCRYPTION_KEYS: KEY }).PINGTREE_ALLOW_PRIVATE_BUYER_URLS).toBe(false);
    expect(
      envSchema.parse({ PINGTREE_ENCRYPTION_KEYS: KEY, PINGTREE_ALLOW_PRIVATE_BUYER_URLS: 'true' })
        .PINGTREE_ALLOW_PRIVATE_BUYER_URLS,
    ).toBe(true);
    expect(
      issueOf({ PINGTREE_ENCRYPTION_KEYS: KEY, PINGTREE_ALLOW_PRIVATE_BUYER_URLS: 'yes' }, 'PINGTREE_ALLOW_PRIVATE_BUYER_URLS'),
    ).toBe('must be true or false');
  });
});
