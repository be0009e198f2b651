import type { FieldIssue } from '@pingtree/contracts';

/**
 * ISO date-times that zod accepts but PostgreSQL can't read: year 0000 (there is no year 0), so
 * `from=0000-01-01T00:00:00Z` would fail the query with a 500 instead of naming the field.
 */
export function unreadableTimestamps(values: Record<string, unknown>, fields: readonly string[]): FieldIssue[] {
  return fields
    .filter((field) => {
      const value = values[field];
      return typeof value === 'string' && value.startsWith('0000-');
    })
    .map((field) => ({ field, message: 'must be a date-time from year 0001 on' }));
}
