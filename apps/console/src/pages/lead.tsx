import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { ReconciliationForm } from '../components/reconciliation-form';
import { Timeline } from '../components/timeline';
import { useConfigData } from '../config-data';
import type { LeadDetail, TrailEvent } from '../domain';
import { money, ms, time } from '../format';
import { href } from '../route';

/** The tree version that routed the lead, when the journey recorded it in the trail. */
function treeVersion(trail: TrailEvent[]): string | null {
  for (const e of trail) {
    const tree = e.data['tree'] as { id?: string; version?: number } | undefined;
    const version = e.data['treeVersion'] ?? tree?.version;
    if (typeof version === 'number') return `v${version}`;
  }
  return null;
}

/** Why a lead sold to whom: its decision, its lifecycle and the trail as a timeline drawn to scale. */
export function LeadPage({ leadId }: { leadId: string }) {
  const config = useConfigData();
  const [detail, setDetail] = useState<LeadDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loads, setLoads] = useState(0);

  useEffect(() => {
    setDetail(null);
    setError(null);
    api<LeadDetail>(`/v1/leads/${leadId}`)
      .then(setDetail)
      .catch((err: ApiError) => setError(err.message));
  }, [leadId, loads]);

  if (error) return <p className="error">{error}</p>;
  if (!detail) return <p className="muted">Loading lead…</p>;
  const { lead, trail } = detail;
  const events = Array.isArray(trail) ? trail : [];
  const campaign = config.campaigns.find((c) => c.id === lead.campaignId);
  const tree = config.trees.find((t) => t.id === campaign?.treeId);
  const version = treeVersion(events);
  return (
    <section className="lead-page">
      <p>
        <a href={href('leads')}>← Leads</a>
      </p>
      <h2>
        Lead <span className="mono">{lead.id}</span> <span className={`state ${lead.state}`}>{lead.state}</span>
      </h2>
      <div className="facts card">
        <dl>
          <dt>Received</dt>
          <dd>{time(lead.receivedAt)}</dd>
          <dt>Decided in</dt>
          <dd>
            {ms(lead.decision?.ms)}
            {lead.decision?.buyerMs !== undefined && (
              <small className="muted"> ({ms(lead.decision.buyerMs)} waiting on buyers)</small>
            )}
          </dd>
          <dt>Trace id</dt>
          <dd className="mono" data-testid="trace-id">
            {lead.traceId ?? '–'}
          </dd>
          <dt>Campaign</dt>
          <dd>{campaign ? `${campaign.key} (${campaign.name})` : lead.campaignId}</dd>
          <dt>Tree</dt>
          <dd>
            {tree ? <a href={href(`trees/${tree.id}`)}>{tree.name}</a> : '–'}{' '}
            {version && <span className="badge">routed by {version}</span>}
          </dd>
          <dt>Supplier lead id</dt>
          <dd className="mono">{lead.supplierLeadId ?? '–'}</dd>
          <dt>Outcome</dt>
          <dd data-testid="outcome">
            {lead.decision?.sales?.length
              ? lead.decision.sales.map((s) => (
                  <div key={s.channelId}>
                    sold to <strong>{s.buyer}</strong> ({config.channelName(s.channelId)}) for {money(s.price)}, supplier paid{' '}
                    {money(s.payout)}
                  </div>
                ))
              : (lead.decision?.reason ?? lead.state)}
          </dd>
          <dt>Lifecycle</dt>
          <dd>{lead.lifecycle.map((l) => `${l.state} ${new Date(l.at).toLocaleTimeString()}`).join(' → ')}</dd>
        </dl>
      </div>
      {lead.state === 'needs_reconciliation' && (
        <ReconciliationForm leadId={lead.id} trail={events} onDone={() => setLoads((n) => n + 1)} />
      )}
      <h3>Trail</h3>
      {!Array.isArray(trail) && <p className="error">The trail is unavailable right now ({trail.message}).</p>}
      <Timeline events={events} totalMs={lead.decision?.ms ?? 0} tree={tree} />
    </section>
  );
}
