import type { z } from 'zod';
import type { FieldIssue } from '@pingtree/contracts';

/** zod issues as field/message pairs a partner can act on. */
export function fieldIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
}
