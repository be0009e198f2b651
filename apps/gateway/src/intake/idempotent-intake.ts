import { Injectable } from '@nestjs/common';
import { PingtreeError, TERMINAL_LEAD_STATES, type LeadDecision } from '@pingtree/contracts';
import { DataSource } from 'typeorm';

/** How long a key keeps answering with its first lead. */
export const INTAKE_KEY_WINDOW_HOURS = 24;
const POLL_MS = 50;

/**
 * Partners retry on timeouts. The same Idempotency-Key (or, without one, the same supplier lead id)
 * inside the window returns the first lead's answer instead of processing it again, including when
 * both requests arrive at once: the key is claimed by one conditional insert, in the lead's own.
 */
@Injectable()
export class IdempotentIntake {
  constructor(private readonly ds: DataSource) {}

  /** The lead that holds `key` (claimed by LeadRepository.insert, in the lead's own statement). */
  async holder(supplierId: string, key: string): Promise<string | null> {
    const [held] = (await this.ds.query(`SELECT lead_id FROM intake_keys WHERE supplier_id = $1 AND key = $2`, [
      supplierId,
      key,
    ])) as Array<{ lead_id: string }>;
    return held?.lead_id ?? null;
  }

  /** The first request's answer, waiting for it while its journey is still running. */
  async firstAnswer(leadId: string, waitUntil: number): Promise<LeadDecision> {
    for (;;) {
      const [lead] = (await this.ds.query(`SELECT state, decision FROM leads WHERE id = $1`, [leadId])) as Array<{
        state: string;
        decision: LeadDecision | null;
      }>;
      const settled = lead?.decision && (TERMINAL_LEAD_STATES.includes(lead.decision.state) || lead.state === 'offered');
      if (lead?.decision && settled) return { ...lead.decision, replayed: true };
      if (Date.now() >= waitUntil) {
        throw new PingtreeError(
          'CONFLICT',
          `the first request with this key (lead ${leadId}) is still being processed; retry later`,
        );
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
