import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { ERROR_CODES, HEADERS, isErrorCode, PingtreeError, type FieldIssue } from '@pingtree/contracts';

/** Error → ADR-32 headers plus our typed code. Field issues travel in the body. */
export function errorReply(error: PingtreeError): { headers: MsgHdrs; body: string } {
  const h = natsHeaders();
  h.set(HEADERS.errorStatus, String(ERROR_CODES[error.code].status));
  h.set(HEADERS.errorMessage, error.message.replace(/[\r\n]+/g, ' ').slice(0, 500));
  h.set(HEADERS.errorCode, error.code);
  return { headers: h, body: JSON.stringify({ fields: error.fields }) };
}

/** The typed error a reply carries, or null for a normal reply. */
export function errorFromReply(h: MsgHdrs | undefined, body: string): PingtreeError | null {
  const status = h?.get(HEADERS.errorStatus);
  if (!h || !status) return null;
  const code = h.get(HEADERS.errorCode);
  const message = h.get(HEADERS.errorMessage) || `remote error ${status}`;
  let fields: FieldIssue[] = [];
  try {
    const parsed = JSON.parse(body) as { fields?: FieldIssue[] };
    fields = Array.isArray(parsed.fields) ? parsed.fields : [];
  } catch {
    // A foreign responder's error body need not be ours.
  }
  return new PingtreeError(isErrorCode(code) ? code : 'INTERNAL', message, fields);
}
