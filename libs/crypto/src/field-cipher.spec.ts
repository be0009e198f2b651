import { randomBytes } from 'node:crypto';
import { encryptionKeysProblem, generateEncryptionKey, parseEncryptionKeys } from './encryption-keys';
import { cipherFromEnv, FieldCipher, isEnvelope } from './field-cipher';
import { openLeadField, sealLeadField } from './lead-fields';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('encryption keys from the environment', () => {
  it('parses keyId:base64 pairs, first one first', () => {
    const keys = parseEncryptionKeys(`${key('k2')}, ${key('k1')}`);
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys.every((k) => k.key.length === 32)).toBe(true);
  });

  it.each([
    ['', 'at least one key'],
    ['nocolon', 'keyId:base64'],
    [`k1:${randomBytes(16).toString('base64')}`, '32 bytes'],
    ['k1:not base64!', 'base64'],
    [`${key('k1')},${key('k1')}`, 'listed twice'],
  ])('refuses %j naming the problem', (text, problem) => {
    expect(encryptionKeysProblem(text)).toContain(problem);
  });

  it('never echoes key material in its messages', () => {
    const material = randomBytes(16).toString('base64');
    expect(encryptionKeysProblem(`k1:${material}`)).not.toContain(material);
  });

  it('reads PINGTREE_ENCRYPTION_KEYS and says so when it is missing', () => {
    expect(() => cipherFromEnv({})).toThrow(/PINGTREE_ENCRYPTION_KEYS is not set/);
    expect(cipherFromEnv({ PINGTREE_ENCRYPTION_KEYS: generateEncryptionKey('dev') }).currentKeyId).toBe('dev');
  });
});

describe('FieldCipher (AES-256-GCM envelopes)', () => {
  const contact = { firstName: 'Ada', email: 'ada@example.com', phone: '+14155550100' };

  it('stores {kid, iv, tag, data} with no plaintext, and reads it back', () => {
    const cipher = FieldCipher.fromKeyList(key('k1'));
    const envelope = cipher.seal(contact, 'leads.contact:1');
    expect(isEnvelope(envelope)).toBe(true);
    expect(envelope.kid).toBe('k1');
    expect(JSON.stringify(envelope)).not.toMatch(/Ada|ada@example|4155550100/);
    expect(cipher.open(envelope, 'leads.contact:1')).toEqual(contact);
  });

  it('uses a fresh nonce every time', () => {
    const cipher = FieldCipher.fromKeyList(key('k1'));
    expect(cipher.seal(contact, 'c').iv).not.toBe(cipher.seal(contact, 'c').iv);
  });

  it('rotates: the first key encrypts, every listed key decrypts', () => {
    const k1 = key('k1');
    const old = FieldCipher.fromKeyList(k1).seal(contact, 'c');
    const rotated = FieldCipher.fromKeyList(`${key('k2')},${k1}`);
    expect(rotated.open(old, 'c')).toEqual(contact);
    expect(rotated.seal(contact, 'c').kid).toBe('k2');
  });

  it('refuses a retired key by id, another context and altered data', () => {
    const cipher = FieldCipher.fromKeyList(key('k1'));
    const envelope = cipher.seal(contact, 'leads.contact:1');
    expect(() => FieldCipher.fromKeyList(key('k2')).open(envelope, 'leads.contact:1')).toThrow(/key "k1" is not in/);
    expect(() => cipher.open(envelope, 'leads.contact:2')).toThrow(/wrong key or altered data/);
    const data = Buffer.from(envelope.data, 'base64');
    data[0] = data[0]! ^ 1;
    expect(() => cipher.open({ ...envelope, data: data.toString('base64') }, 'leads.contact:1')).toThrow(/altered/);
  });

  it('binds lead fields to their lead and column; plain legacy values are read as they are', () => {
    const cipher = FieldCipher.fromKeyList(key('k1'));
    const sealed = sealLeadField(cipher, 'lead-a', 'contact', contact);
    expect(openLeadField(cipher, 'lead-a', 'contact', sealed)).toEqual(contact);
    expect(() => openLeadField(cipher, 'lead-b', 'contact', sealed)).toThrow();
    expect(() => openLeadField(cipher, 'lead-a', 'consent', sealed)).toThrow();
    expect(openLeadField(cipher, 'lead-a', 'contact', contact)).toEqual(contact);
  });
});
