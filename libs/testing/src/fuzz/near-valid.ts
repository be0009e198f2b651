import fc from 'fast-check';
import { hostileString, hostileValue } from './hostile-values';

type Path = Array<string | number>;

/** Every path into a JSON value: each object key and array index, at every depth. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  }
  return [];
}

/** A deep copy with the value at `path` replaced, or removed when `replacement` is `REMOVE`. */
export const REMOVE = Symbol('remove');

export function withValueAt(value: unknown, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  // An array takes only indexes: a named key (`length`!) next to its items is no JSON anyway.
  if (Array.isArray(parent) && !/^\d+$/.test(String(last))) return copy;
  // defineProperty, so a key like __proto__ becomes a field rather than a new prototype.
  if (replacement !== REMOVE)
    Object.defineProperty(parent, last, { value: replacement, enumerable: true, writable: true, configurable: true });
  else if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return copy;
}

/**
 * A valid body with one thing wrong: one field replaced by a hostile value (wrong type, huge,
 * NUL, out of range, deep), removed, or an unknown field added next to it; or the whole body
 * wrapped in an array. Most partner mistakes look like this, so most bugs hide behind them.
 */
export function nearValid(valid: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  const path = fc.constantFrom(...paths);
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(path, hostileValue()).map(([p, v]) => withValueAt(valid, p, v)) },
    { weight: 1, arbitrary: path.map((p) => withValueAt(valid, p, REMOVE)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(path, hostileString(), hostileValue())
        .map(([p, key, v]) => withValueAt(valid, [...p.slice(0, -1), key], v)),
    },
    { weight: 1, arbitrary: fc.constant([valid]) },
    { weight: 1, arbitrary: fc.constant(valid) },
  );
}
