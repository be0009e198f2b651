import { randomUUID } from 'node:crypto';
import type { LeadEvent } from '@pingtree/contracts';

/** A ping step's events, as the ping service would emit them: same lead, own ids. */
export function pingStepEvents(leadId: string, n: number, data: Record<string, unknown> = {}): LeadEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${leadId}:pinged:0:${i}`,
    leadId,
    type: 'pinged' as const,
    service: 'ping' as const,
    at: Date.now(),
    tierIndex: 0,
    channelId: randomUUID(),
    data: { i, ...data },
  }));
}
