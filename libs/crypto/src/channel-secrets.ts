import { PingtreeError, type FieldIssue } from '@pingtree/contracts';
import { isEnvelope, type Envelope, type FieldCipher } from './field-cipher';

/** What the admin API shows instead of a secret; sent back unchanged, it keeps the stored secret. */
export const SECRET_MASK = '********';

/** Branches of a channel config that never hold credentials (a mapping may well have a field called `secret`). */
const NOT_SECRET_BRANCHES = new Set(['mapping', 'filters', 'response', 'headers', 'schedule', 'caps', 'circuit']);

const AUTH_SECRET: Record<string, string> = { basic: 'password', bearer: 'token', api_key: 'value' };

/**
 * A buyer credential: the password, token or key value of an `auth` block, and every `secret`
 * (request signing today; callback secrets and the like as they are added).
 */
function isSecret(path: readonly string[], parent: Record<string, unknown>, key: string): boolean {
  if (key === 'secret') return true;
  return path[path.length - 1] === 'auth' && typeof parent['type'] === 'string' && AUTH_SECRET[parent['type']] === key;
}

type SecretFn = (value: unknown, path: string) => unknown;

/** A copy of `config` with `fn` applied to each secret; everything else is shared, not copied. */
function mapSecrets(value: unknown, fn: SecretFn, path: string[] = []): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const parent = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(parent)) {
    const at = [...path, key];
    if (isSecret(path, parent, key)) out[key] = fn(child, at.join('.'));
    else if (NOT_SECRET_BRANCHES.has(key)) out[key] = child;
    else out[key] = mapSecrets(child, fn, at);
  }
  return out;
}

function readPath(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

const context = (path: string) => `channels.config:${path}`;

function missingSecret(path: string): FieldIssue {
  return { field: path, message: `${SECRET_MASK} keeps the stored secret, but none is stored here: send the secret` };
}

/**
 * What a config sent back with masks means: each mask replaced by the secret `stored` at the same
 * place, decrypted (in memory only, to validate and save it). A mask where none is stored is
 * refused, naming the field.
 */
export function unmaskChannelSecrets<T>(config: T, stored: unknown, cipher: FieldCipher): T {
  const missing: FieldIssue[] = [];
  const unmasked = mapSecrets(config, (value, path) => {
    if (value !== SECRET_MASK) return value;
    const previous = readPath(stored, path);
    if (isEnvelope(previous)) return cipher.open(previous, context(path));
    if (typeof previous === 'string' && previous !== SECRET_MASK) return previous;
    missing.push(missingSecret(path));
    return value;
  });
  if (missing.length > 0) throw new PingtreeError('VALIDATION_FAILED', 'channel failed validation', missing);
  return unmasked as T;
}

/** False, rather than an error, when the stored secret's key is no longer listed: it is simply replaced. */
function sameSecret(cipher: FieldCipher, stored: Envelope, path: string, value: string): boolean {
  try {
    return cipher.open(stored, context(path)) === value;
  } catch {
    return false;
  }
}

/**
 * Encrypts the channel's secrets for storage. A secret equal to the one `stored` at the same place
 * keeps its envelope (an unchanged channel stays byte-for-byte the same); a mask keeps the stored
 * secret (refused, naming the field, when there is none); one already encrypted stays so.
 */
export function sealChannelSecrets<T>(config: T, cipher: FieldCipher, stored?: unknown): T {
  const unmasked = unmaskChannelSecrets(config, stored, cipher);
  return mapSecrets(unmasked, (value, path) => {
    if (typeof value !== 'string') return value;
    const previous = readPath(stored, path);
    if (isEnvelope(previous) && sameSecret(cipher, previous, path, value)) return previous;
    return cipher.seal(value, context(path));
  }) as T;
}

/** Decrypts the channel's secrets (plain ones, stored before encryption, are kept as they are). */
export function openChannelSecrets<T>(config: T, cipher: FieldCipher): T {
  return mapSecrets(config, (value, path) => cipher.openStored(value, context(path))) as T;
}

/** The channel as operators may see it: every secret, encrypted or not, replaced by the mask. */
export function maskChannelSecrets<T>(config: T): T {
  return mapSecrets(config, (value) => (value === undefined || value === null ? value : SECRET_MASK)) as T;
}

/** A config change as version diffs list it. */
export interface SecretChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

const ENVELOPE_PART = /^(.+)\.(kid|iv|tag|data)$/;

/** True when `path` names a secret, judged by the path alone (an `auth.value` exists only for api_key). */
function isSecretPath(path: string): boolean {
  const parts = path.split('.');
  if (parts.some((p) => NOT_SECRET_BRANCHES.has(p))) return false;
  const last = parts[parts.length - 1]!;
  return last === 'secret' || (parts[parts.length - 2] === 'auth' && Object.values(AUTH_SECRET).includes(last));
}

function maskAt(value: unknown, path: string): unknown {
  if (value === undefined || value === null) return value;
  return isSecretPath(path) ? SECRET_MASK : mapSecrets(value, () => SECRET_MASK, path.split('.'));
}

/**
 * Version diffs of a channel with every secret shown as the mask: a changed secret reads as one
 * change of `ping.auth.token` from mask to mask, not as changes of its envelope's parts.
 */
export function maskChannelChanges<C extends SecretChange>(changes: readonly C[]): C[] {
  const out = new Map<string, C>();
  for (const change of changes) {
    const part = ENVELOPE_PART.exec(change.path);
    if (part && isSecretPath(part[1]!)) {
      out.set(part[1]!, { ...change, path: part[1]!, before: SECRET_MASK, after: SECRET_MASK });
      continue;
    }
    const masked = { ...change };
    if ('before' in change) masked.before = maskAt(change.before, change.path);
    if ('after' in change) masked.after = maskAt(change.after, change.path);
    out.set(`${out.size}:${change.path}`, masked);
  }
  return [...out.values()];
}

/** True when the stored config still holds a secret in plain text. */
export function hasPlainSecrets(config: unknown): boolean {
  let plain = false;
  mapSecrets(config, (value) => {
    if (typeof value === 'string') plain = true;
    return value;
  });
  return plain;
}

/**
 * The channel config with every secret sealed under the current key (key rotation): secrets under
 * an older key, or stored before encryption, are re-sealed; those already under it stay as they are.
 */
export function resealChannelSecrets<T>(config: T, cipher: FieldCipher): T {
  return mapSecrets(config, (value, path) => {
    if (isEnvelope(value) && value.kid === cipher.currentKeyId) return value;
    if (!isEnvelope(value) && typeof value !== 'string') return value;
    return cipher.seal(cipher.openStored(value, context(path)), context(path));
  }) as T;
}
