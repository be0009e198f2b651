import type { Candidate } from '@pingtree/contracts';
import type { PostableLead } from './post-attempt.repository';

/** The canonical full lead a winning buyer receives: contact data and consent evidence included. */
export function postPayload(
  lead: Pick<PostableLead, 'pingLead' | 'contact' | 'consent'>,
  candidate: Candidate,
  buyerRefField: string,
  callback: { field: string; url: string } | null = null,
): Record<string, unknown> {
  const { leadId, ...pingFields } = lead.pingLead;
  return {
    leadId,
    ...pingFields,
    contact: lead.contact,
    consent: lead.consent,
    price: candidate.price,
    ...(candidate.buyerRef !== null && { [buyerRefField]: candidate.buyerRef }),
    ...(callback !== null && { [callback.field]: callback.url }),
  };
}
