import { PingtreeError } from '@pingtree/contracts';
import { generateEncryptionKey } from './encryption-keys';
import {
  hasPlainSecrets,
  maskChannelChanges,
  maskChannelSecrets,
  openChannelSecrets,
  sealChannelSecrets,
  SECRET_MASK,
  unmaskChannelSecrets,
} from './channel-secrets';
import { FieldCipher, isEnvelope } from './field-cipher';

const cipher = FieldCipher.fromKeyList(generateEncryptionKey('k1'));

const channel = {
  name: 'acme',
  ping: {
    url: 'https://acme.example/ping',
    auth: { type: 'bearer', token: 'tok-ping-123' },
    signature: { header: 'X-Signature', secret: 'whsec-ping', timestampHeader: 'X-Timestamp' },
    mapping: [{ to: 'secret', from: 'zip', transform: { type: 'enum', map: { secret: 'x' } } }],
    response: { accept: { path: 'status', values: ['bid'] } },
  },
  post: {
    url: 'https://acme.example/post',
    auth: { type: 'api_key', in: 'header', name: 'X-Key', value: 'key-post-456' },
    response: { accept: { path: 'status', values: ['ok'] } },
  },
  asyncPost: { secret: 'callback-secret-0123456789', timeoutSeconds: 300 },
};

const PLAINTEXTS = ['tok-ping-123', 'whsec-ping', 'key-post-456', 'callback-secret-0123456789'];

describe('channel secrets at rest', () => {
  it('encrypts auth credentials, signing and callback secrets, and nothing else', () => {
    const sealed = sealChannelSecrets(channel, cipher);
    const text = JSON.stringify(sealed);
    for (const secret of PLAINTEXTS) expect(text).not.toContain(secret);
    expect(isEnvelope(sealed.ping.auth.token)).toBe(true);
    expect(isEnvelope(sealed.asyncPost.secret)).toBe(true);
    expect(sealed.ping.mapping).toEqual(channel.ping.mapping); // a mapped field called "secret" is data
    expect(sealed.ping.auth.type).toBe('bearer');
    expect(hasPlainSecrets(channel)).toBe(true);
    expect(hasPlainSecrets(sealed)).toBe(false);
  });

  it('decrypts for the catalog', () => {
    expect(openChannelSecrets(sealChannelSecrets(channel, cipher), cipher)).toEqual(channel);
  });

  it('masks for operators, encrypted or not', () => {
    for (const config of [channel, sealChannelSecrets(channel, cipher)]) {
      const masked = maskChannelSecrets(config);
      expect(masked.ping.auth.token).toBe(SECRET_MASK);
      expect(masked.post.auth.value).toBe(SECRET_MASK);
      expect(masked.ping.signature.secret).toBe(SECRET_MASK);
      expect(masked.asyncPost.secret).toBe(SECRET_MASK);
      expect(masked.post.auth.name).toBe('X-Key');
    }
  });

  it('keeps the stored secret when the mask comes back, and refuses the mask where none is stored', () => {
    const stored = sealChannelSecrets(channel, cipher);
    const edited = { ...maskChannelSecrets(channel), name: 'acme 2' };
    const resealed = sealChannelSecrets(edited, cipher, stored);
    expect(resealed.ping.auth.token).toEqual(stored.ping.auth.token);
    expect(openChannelSecrets(resealed, cipher)).toEqual({ ...channel, name: 'acme 2' });

    // The masks resolve to the stored secrets (to validate a PUT); the same secret keeps its envelope.
    expect(unmaskChannelSecrets(edited, stored, cipher)).toEqual({ ...channel, name: 'acme 2' });
    expect(sealChannelSecrets({ ...channel, name: 'acme 2' }, cipher, stored).asyncPost.secret).toEqual(stored.asyncPost.secret);
    expect(
      sealChannelSecrets({ ...channel, asyncPost: { secret: 'another-secret-0123456789' } }, cipher, stored).asyncPost.secret,
    ).not.toEqual(stored.asyncPost.secret);

    const changedType = { ...edited, post: { ...edited.post, auth: { type: 'bearer', token: SECRET_MASK } } };
    try {
      sealChannelSecrets(changedType, cipher, stored);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(PingtreeError);
      expect((error as PingtreeError).status).toBe(422);
      expect((error as PingtreeError).fields.map((f) => f.field)).toEqual(['post.auth.token']);
    }
  });
});

describe('channel version diffs', () => {
  it('show a changed secret as the mask, never its envelope parts or plaintext', () => {
    const before = sealChannelSecrets(channel, cipher);
    const after = sealChannelSecrets(
      { ...channel, ping: { ...channel.ping, auth: { type: 'bearer', token: 'tok-new' } } },
      cipher,
    );
    const changes = [
      { path: 'ping.auth.token.iv', before: (before.ping.auth.token as any).iv, after: (after.ping.auth.token as any).iv },
      { path: 'ping.auth.token.data', before: (before.ping.auth.token as any).data, after: (after.ping.auth.token as any).data },
      { path: 'post.auth', after: before.post.auth },
      { path: 'asyncPost.secret', before: 'callback-secret-0123456789', after: before.asyncPost.secret },
      { path: 'name', before: 'a', after: 'b' },
      { path: 'ping.mapping.0.transform.map.secret', before: 'x', after: 'y' },
    ];
    expect(maskChannelChanges(changes)).toEqual([
      { path: 'ping.auth.token', before: SECRET_MASK, after: SECRET_MASK },
      { path: 'post.auth', after: { ...channel.post.auth, value: SECRET_MASK } },
      { path: 'asyncPost.secret', before: SECRET_MASK, after: SECRET_MASK },
      { path: 'name', before: 'a', after: 'b' },
      { path: 'ping.mapping.0.transform.map.secret', before: 'x', after: 'y' },
    ]);
  });
});
