import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { useConfigData } from '../config-data';
import type { TrailEvent } from '../domain';
import { FieldError } from './field-error';

/** Post answers that settle nothing: the buyer may or may not have bought. */
const UNKNOWN_OUTCOMES = new Set(['attempted', 'timeout', 'pending', 'callback_timeout']);

/**
 * The channels posted to, those whose answer is unknown first (the last `posted` of each wins). The
 * trail may lack events a crash lost, so every channel posted to stays selectable: the API decides.
 */
function postedChannels(trail: TrailEvent[]): string[] {
  const outcome = new Map<string, string | null>();
  for (const e of trail) {
    if (!e.channelId) continue;
    if (e.type === 'post_attempted' && !outcome.has(e.channelId)) outcome.set(e.channelId, null);
    if (e.type === 'posted') outcome.set(e.channelId, String(e.data['outcome'] ?? ''));
  }
  const unknown = (o: string | null) => o === null || UNKNOWN_OUTCOMES.has(o);
  return [...outcome].sort(([, a], [, b]) => Number(unknown(b)) - Number(unknown(a))).map(([id]) => id);
}

/**
 * For a lead in needs_reconciliation: record what the buyer says happened to a post whose answer
 * never arrived. The gateway settles the post and then the lead; `onDone` reloads the page's lead.
 */
export function ReconciliationForm({ leadId, trail, onDone }: { leadId: string; trail: TrailEvent[]; onDone: () => void }) {
  const config = useConfigData();
  const channels = postedChannels(trail);
  const [channelId, setChannelId] = useState(channels[0] ?? '');
  const [outcome, setOutcome] = useState<'accepted' | 'rejected'>('accepted');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api(`/v1/admin/leads/${leadId}/reconciliation`, {
        method: 'POST',
        body: { channelId, outcome, ...(reason.trim() && { reason: reason.trim() }) },
      });
      onDone();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  }

  const fields = error?.fields ?? [];
  return (
    <form className="reconciliation card" data-testid="reconciliation" onSubmit={(e) => void submit(e)}>
      <h3>Reconcile</h3>
      <p className="muted">A post went out and its answer never arrived. Ask the buyer, then record what they say.</p>
      <label>
        Post to
        <select name="channelId" value={channelId} onChange={(e) => setChannelId(e.target.value)}>
          {channels.length === 0 && <option value="">no post in the trail</option>}
          {channels.map((id) => (
            <option key={id} value={id}>
              {config.channelName(id)}
            </option>
          ))}
        </select>
        <FieldError fields={fields} path="channelId" />
      </label>
      <label>
        The buyer
        <select name="outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as 'accepted' | 'rejected')}>
          <option value="accepted">bought it</option>
          <option value="rejected">did not buy it</option>
        </select>
      </label>
      <label>
        Reason (optional)
        <input name="reason" value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
        <FieldError fields={fields} path="reason" />
      </label>
      <button type="submit" disabled={busy || !channelId}>
        Record
      </button>
      {error && fields.length === 0 && <p className="error">{error.message}</p>}
    </form>
  );
}
