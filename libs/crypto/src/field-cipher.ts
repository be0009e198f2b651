import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ENCRYPTION_KEYS_VAR, parseEncryptionKeys, type EncryptionKey } from './encryption-keys';

/** What is stored instead of a value: AES-256-GCM ciphertext with its key id, nonce and tag (base64). */
export interface Envelope {
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

const ENVELOPE_KEYS = ['data', 'iv', 'kid', 'tag'];

export function isEnvelope(value: unknown): value is Envelope {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value).sort();
  return (
    keys.length === ENVELOPE_KEYS.length &&
    keys.every((k, i) => k === ENVELOPE_KEYS[i] && typeof (value as Record<string, unknown>)[k] === 'string')
  );
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts JSON values with AES-256-GCM. `context` (e.g. `leads.contact:<lead id>`) is bound in as
 * associated data, so a ciphertext copied to another row or field does not decrypt there.
 */
export class FieldCipher {
  private readonly current: EncryptionKey;
  private readonly byId: Map<string, Buffer>;

  constructor(keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new Error('FieldCipher needs at least one key');
    this.current = keys[0]!;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  static fromKeyList(text: string): FieldCipher {
    return new FieldCipher(parseEncryptionKeys(text));
  }

  /** The id of the key new values are encrypted with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  seal(value: unknown, context: string): Envelope {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(JSON.stringify(value) ?? 'null', 'utf8'), cipher.final()]);
    return {
      kid: this.current.id,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /** Throws, naming the context and key id (never data), when the key is unknown or the data was altered. */
  open(envelope: Envelope, context: string): unknown {
    const key = this.byId.get(envelope.kid);
    if (!key) throw new Error(`cannot decrypt ${context}: key "${envelope.kid}" is not in ${ENCRYPTION_KEYS_VAR}`);
    const iv = Buffer.from(envelope.iv, 'base64');
    const tag = Buffer.from(envelope.tag, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error(`cannot decrypt ${context}: malformed envelope`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      const text = Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]).toString('utf8');
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`cannot decrypt ${context} with key "${envelope.kid}": wrong key or altered data`);
    }
  }

  /** Values stored before encryption was turned on are plain JSON: those are read as they are. */
  openStored(value: unknown, context: string): unknown {
    return isEnvelope(value) ? this.open(value, context) : value;
  }
}

let fromEnv: { text: string; cipher: FieldCipher } | null = null;

/** The cipher for the keys in PINGTREE_ENCRYPTION_KEYS (validated at boot by every service). */
export function cipherFromEnv(env: NodeJS.ProcessEnv = process.env): FieldCipher {
  const text = env[ENCRYPTION_KEYS_VAR];
  if (!text) throw new Error(`${ENCRYPTION_KEYS_VAR} is not set: contact data and buyer secrets are encrypted at rest`);
  if (fromEnv?.text !== text) fromEnv = { text, cipher: FieldCipher.fromKeyList(text) };
  return fromEnv.cipher;
}
