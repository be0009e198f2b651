import type { FieldRule, PingLead } from '@pingtree/contracts';
import { readPath } from '@pingtree/buyer-protocol';

/** Null when the lead passes the rule, otherwise why it doesn't. Rules see only the ping lead. */
export function failedRule(rule: FieldRule, lead: PingLead): string | null {
  const value = readPath(lead, rule.field);
  switch (rule.op) {
    case 'equals':
      return value === rule.value ? null : `${rule.field} must equal ${String(rule.value)}`;
    case 'in':
      return rule.values.some((v) => v === value) ? null : `${rule.field} must be one of ${rule.values.join(', ')}`;
    case 'not_in':
      return rule.values.some((v) => v === value) ? `${rule.field} must not be ${String(value)}` : null;
    case 'range': {
      if (typeof value !== 'number') return `${rule.field} must be a number`;
      if (rule.min !== undefined && value < rule.min) return `${rule.field} below ${rule.min}`;
      if (rule.max !== undefined && value > rule.max) return `${rule.field} above ${rule.max}`;
      return null;
    }
    case 'exists':
      return value === undefined || value === null || value === '' ? `${rule.field} is missing` : null;
  }
}
