import { useState } from 'react';
import { api, ApiError, type FieldIssue } from '../api';
import { useConfigData } from '../config-data';
import type { Campaign } from '../domain';
import { FieldError } from './field-error';

/** The whole-lead deadline and the post reserve of each campaign that routes through this tree. */
export function CampaignTimeouts({ treeId }: { treeId: string }) {
  const config = useConfigData();
  const campaigns = config.campaigns.filter((c) => c.treeId === treeId);
  if (campaigns.length === 0) return null;
  return (
    <>
      <h3>Campaigns using this tree</h3>
      {campaigns.map((c) => (
        <CampaignRow key={`${c.id}:${c.tmaxMs}:${c.postReserveMs}`} campaign={c} />
      ))}
    </>
  );
}

function CampaignRow({ campaign }: { campaign: Campaign }) {
  const config = useConfigData();
  const [tmaxMs, setTmax] = useState(campaign.tmaxMs);
  const [postReserveMs, setReserve] = useState(campaign.postReserveMs);
  const [fields, setFields] = useState<FieldIssue[]>([]);
  const [status, setStatus] = useState<string | null>(null);

  async function save() {
    setFields([]);
    setStatus(null);
    try {
      const { id, ...rest } = await api<Campaign>(`/v1/admin/campaigns/${campaign.id}`);
      await api(`/v1/admin/campaigns/${id}`, { method: 'PUT', body: { ...rest, tmaxMs, postReserveMs } });
      await config.reload();
      setStatus('Saved.');
    } catch (err) {
      setFields((err as ApiError).fields ?? []);
      setStatus((err as ApiError).message);
    }
  }

  return (
    <div className="card inline-form">
      <strong>{campaign.key}</strong>
      <label>
        Deadline (tmax, ms)
        <input type="number" value={tmaxMs} onChange={(e) => setTmax(Number(e.target.value))} />
        <FieldError fields={fields} path="tmaxMs" />
      </label>
      <label>
        Kept for the post (ms)
        <input type="number" value={postReserveMs} onChange={(e) => setReserve(Number(e.target.value))} />
        <FieldError fields={fields} path="postReserveMs" />
      </label>
      <button className="secondary" onClick={() => void save()}>
        Save campaign
      </button>
      {status && <span className="muted">{status}</span>}
    </div>
  );
}
