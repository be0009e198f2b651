import { z } from 'zod';
import { LEAD_EVENT_SUBJECT_PREFIX, SERVICES } from '../subjects';

export const LEAD_EVENT_TYPES = [
  'received',
  'excluded',
  'pinged',
  'selected',
  'passed_over',
  'post_attempted',
  'posted',
  'offered',
  'picked',
  'returned',
  'finished',
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];

/**
 * One step of a lead's journey. `id` is deterministic for the step, so it doubles as the JetStream
 * message id and the audit row key: a retried publish or redelivery never makes a second row.
 * `data` never holds contact values.
 */
export const leadEventSchema = z.strictObject({
  id: z.string().min(1).max(200),
  leadId: z.uuid(),
  type: z.enum(LEAD_EVENT_TYPES),
  service: z.enum(SERVICES),
  at: z.number(),
  tierIndex: z.number().int().nullable(),
  channelId: z.uuid().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export type LeadEvent = z.infer<typeof leadEventSchema>;

export function leadEventSubject(type: LeadEventType): string {
  return `${LEAD_EVENT_SUBJECT_PREFIX}${type}`;
}

/**
 * The events of one service step (a dispatch's pings, an auction's ranking, a delivery's posts) in one
 * message, so a step costs one publish and one ack. Each event keeps its own id, so the audit rows
 * and their idempotency are those of single events. A message holding one event stays a plain event
 * on its type's subject (older messages, and core subscribers of one type, read it as before).
 * Consumers must accept this subject before publishers send it.
 */
export const LEAD_EVENT_BATCH_SUBJECT = `${LEAD_EVENT_SUBJECT_PREFIX}batch`;

export const leadEventBatchSchema = z.strictObject({
  events: z.array(leadEventSchema).min(1),
});

export type LeadEventBatch = z.infer<typeof leadEventBatchSchema>;

export function leadEventId(leadId: string, type: LeadEventType, ...parts: Array<string | number>): string {
  return [leadId, type, ...parts].join(':');
}
