import { randomBytes } from 'node:crypto';

/** One AES-256 key and the id stored next to everything it encrypted, so keys can be rotated. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The environment variable that holds the keys: `keyId:base64-of-32-bytes`, comma-separated. */
export const ENCRYPTION_KEYS_VAR = 'PINGTREE_ENCRYPTION_KEYS';

const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses `k2:BASE64,k1:BASE64`. The first key encrypts; every key listed decrypts (rotation: put
 * the new key first and keep the old ones until nothing refers to them). Messages name key ids
 * only, never key material.
 */
export function parseEncryptionKeys(text: string): EncryptionKey[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length === 0) throw new Error('needs at least one key, as keyId:base64 (32 bytes)');
  const keys: EncryptionKey[] = [];
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const encoded = colon > 0 ? entry.slice(colon + 1) : '';
    if (!KEY_ID.test(id)) throw new Error(`key ${i + 1}: must be keyId:base64, with a key id of letters, digits, _ . -`);
    if (!BASE64.test(encoded)) throw new Error(`key "${id}": the key must be base64`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32) throw new Error(`key "${id}": must decode to 32 bytes (AES-256), got ${key.length}`);
    if (keys.some((k) => k.id === id)) throw new Error(`key "${id}" is listed twice`);
    keys.push({ id, key });
  });
  return keys;
}

/** Why the text is not a usable key list, or null. */
export function encryptionKeysProblem(text: string): string | null {
  try {
    parseEncryptionKeys(text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A fresh random key as `keyId:base64`, for development stacks and tests only. */
export function generateEncryptionKey(keyId = 'dev'): string {
  return `${keyId}:${randomBytes(32).toString('base64')}`;
}
