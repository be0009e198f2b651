/** Reads `a.b.0.c` from parsed JSON or XML. */
export function readPath(source: unknown, path: string): unknown {
  let value: unknown = source;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Keys that would reach an object's prototype instead of its own fields. */
const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

export function isSafePath(path: string): boolean {
  return path.split('.').every((key) => key.length > 0 && !UNSAFE_KEYS.has(key));
}

/** Writes `a.b.c` into a plain object, creating the nested objects on the way. */
export function writePath(target: Record<string, unknown>, path: string, value: unknown): void {
  if (!isSafePath(path)) throw new Error(`unsafe field path "${path}"`);
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** Flattens nested objects to dot keys, for form-encoded bodies. */
export function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (v === undefined || v === null) continue;
    if (typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, name, out);
    else out[name] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}
