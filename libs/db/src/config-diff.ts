/** One changed place in a configuration: `before` is absent for an addition, `after` for a removal. */
export interface ConfigChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || typeof v !== 'object';

/**
 * The paths where two configurations differ, e.g. `tiers.1.channelIds` or `ping.url`. Objects are
 * compared key by key; arrays of objects (tiers, filters) item by item; arrays of plain values
 * (channel ids) as one value, so moving a channel reads as "this list became that list".
 */
export function configDiff(before: unknown, after: unknown, path = ''): ConfigChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => {
      const at = path ? `${path}.${key}` : key;
      if (!(key in after)) return [{ path: at, before: before[key] }];
      if (!(key in before)) return [{ path: at, after: after[key] }];
      return configDiff(before[key], after[key], at);
    });
  }
  if (Array.isArray(before) && Array.isArray(after) && !(before.every(isScalar) && after.every(isScalar))) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => {
      const at = path ? `${path}.${i}` : String(i);
      if (i >= after.length) return [{ path: at, before: before[i] }];
      if (i >= before.length) return [{ path: at, after: after[i] }];
      return configDiff(before[i], after[i], at);
    }).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || '(all)', before, after }];
}
