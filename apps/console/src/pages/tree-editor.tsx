import { useEffect, useState } from 'react';
import { api, ApiError, type FieldIssue } from '../api';
import { ChannelSettings } from '../components/channel-settings';
import { CampaignTimeouts } from '../components/campaign-timeouts';
import { FieldError } from '../components/field-error';
import { useConfigData } from '../config-data';
import { LOGICS, WATERFALL_ORDERS, type ConfigVersion, type Tier, type Tree } from '../domain';
import { href, navigate } from '../route';

type Draft = Omit<Tree, 'id'>;

function newTier(n: number): Tier {
  return {
    name: `tier ${n}`,
    logic: 'waterfall',
    channelIds: [],
    pingMode: 'parallel',
    order: 'priority',
    maxSales: 1,
    stopOnSale: true,
    priceFloor: 0,
    pricing: 'first_price',
    offerTtlSeconds: 300,
  };
}

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
}

/**
 * The ping tree: tiers in order, each with its logic, channels in order, stop rule, floor and
 * pricing. The API validates on save; its messages appear next to the fields they name.
 * Channel settings (timeouts, filters, caps, schedule) and the campaigns' deadlines are below.
 */
export function TreeEditorPage({ treeId }: { treeId?: string }) {
  const config = useConfigData();
  const tree = config.trees.find((t) => t.id === treeId) ?? (treeId ? undefined : config.trees[0]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [fields, setFields] = useState<FieldIssue[]>([]);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!tree) return;
    setDraft(structuredClone({ name: tree.name, tiers: tree.tiers }));
    setFields([]);
    // Only when another tree is opened or the saved tree changed.
  }, [tree?.id, JSON.stringify(tree)]);

  if (!config.loaded) return <p className="muted">Loading…</p>;
  if (!tree || !draft) return <p className="muted">No tree {treeId}.</p>;

  const setTier = (i: number, patch: Partial<Tier>) =>
    setDraft((d) => d && { ...d, tiers: d.tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  const setTiers = (tiers: Tier[]) => setDraft((d) => d && { ...d, tiers });
  const moveChannel = (from: number, j: number, to: number) => {
    const channelId = draft.tiers[from]!.channelIds[j]!;
    const tiers = draft.tiers.map((t, i) => (i === from ? { ...t, channelIds: t.channelIds.filter((_, k) => k !== j) } : t));
    if (to === tiers.length) tiers.push(newTier(to + 1));
    tiers[to] = { ...tiers[to]!, channelIds: [...tiers[to]!.channelIds, channelId] };
    setTiers(tiers);
  };

  async function save() {
    setSaving(true);
    setMessage(null);
    setFields([]);
    try {
      await api(`/v1/admin/trees/${tree!.id}`, { method: 'PUT', body: draft });
      const versions = await api<{ items: ConfigVersion[] }>(`/v1/admin/trees/${tree!.id}/versions`);
      await config.reload();
      setMessage({ kind: 'ok', text: `Saved as version ${versions.items[0]?.version ?? '?'}.` });
    } catch (err) {
      const e = err as ApiError;
      setFields(e.fields ?? []);
      setMessage({ kind: 'error', text: e.message });
    } finally {
      setSaving(false);
    }
  }

  const f = (path: string, nested = false) => <FieldError fields={fields} path={path} nested={nested} />;
  const inTree = [...new Set(draft.tiers.flatMap((t) => t.channelIds))];

  return (
    <section className="tree-editor">
      <div className="toolbar">
        <h2>Tree editor</h2>
        <select value={tree.id} onChange={(e) => navigate(`trees/${e.target.value}`)} aria-label="tree">
          {config.trees.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <a href={href(`versions/tree/${tree.id}`)}>Versions</a>
      </div>
      <label className="inline">
        Name
        <input name="tree-name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        {f('name')}
      </label>
      {f('tiers')}
      {draft.tiers.map((tier, i) => (
        <div className="tier card" key={i} data-tier={i}>
          <div className="tier-head">
            <strong>Tier {i + 1}</strong>
            <input name={`tiers.${i}.name`} value={tier.name} onChange={(e) => setTier(i, { name: e.target.value })} />
            {f(`tiers.${i}.name`)}
            <span className="spacer" />
            <button
              className="secondary small"
              onClick={() => setTiers(move(draft.tiers, i, i - 1))}
              disabled={i === 0}
              title="earlier"
            >
              ↑
            </button>
            <button
              className="secondary small"
              onClick={() => setTiers(move(draft.tiers, i, i + 1))}
              disabled={i === draft.tiers.length - 1}
              title="later"
            >
              ↓
            </button>
            <button
              className="secondary small"
              data-action="remove-tier"
              onClick={() => setTiers(draft.tiers.filter((_, j) => j !== i))}
            >
              Remove tier
            </button>
          </div>
          {f(`tiers.${i}`)}
          <div className="tier-fields">
            <label>
              Logic
              <select
                name={`tiers.${i}.logic`}
                value={tier.logic}
                onChange={(e) => setTier(i, { logic: e.target.value as Tier['logic'] })}
              >
                {LOGICS.map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </select>
              {f(`tiers.${i}.logic`)}
            </label>
            <label>
              Pings
              <select
                name={`tiers.${i}.pingMode`}
                value={tier.pingMode}
                onChange={(e) => setTier(i, { pingMode: e.target.value as Tier['pingMode'] })}
              >
                <option>parallel</option>
                <option>sequential</option>
              </select>
            </label>
            {tier.logic === 'waterfall' && (
              <label>
                Order
                <select
                  name={`tiers.${i}.order`}
                  value={tier.order}
                  onChange={(e) => setTier(i, { order: e.target.value as Tier['order'] })}
                >
                  {WATERFALL_ORDERS.map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
              </label>
            )}
            {tier.logic === 'auction' && (
              <label>
                Pricing
                <select
                  name={`tiers.${i}.pricing`}
                  value={tier.pricing}
                  onChange={(e) => setTier(i, { pricing: e.target.value as Tier['pricing'] })}
                >
                  <option>first_price</option>
                  <option>second_price</option>
                </select>
              </label>
            )}
            <label>
              Max sales
              <input
                name={`tiers.${i}.maxSales`}
                type="number"
                value={tier.maxSales}
                onChange={(e) => setTier(i, { maxSales: Number(e.target.value) })}
              />
              {f(`tiers.${i}.maxSales`)}
            </label>
            <label>
              Price floor
              <input
                name={`tiers.${i}.priceFloor`}
                type="number"
                step="0.01"
                value={tier.priceFloor}
                onChange={(e) => setTier(i, { priceFloor: Number(e.target.value) })}
              />
              {f(`tiers.${i}.priceFloor`)}
            </label>
            {tier.logic === 'choice' && (
              <label>
                Offer open (s)
                <input
                  name={`tiers.${i}.offerTtlSeconds`}
                  type="number"
                  value={tier.offerTtlSeconds}
                  onChange={(e) => setTier(i, { offerTtlSeconds: Number(e.target.value) })}
                />
                {f(`tiers.${i}.offerTtlSeconds`)}
              </label>
            )}
            <label className="check">
              <input
                name={`tiers.${i}.stopOnSale`}
                type="checkbox"
                checked={tier.stopOnSale}
                onChange={(e) => setTier(i, { stopOnSale: e.target.checked })}
              />
              Stop the tree once this tier sold
            </label>
          </div>
          <ol className="tier-channels">
            {tier.channelIds.map((channelId, j) => (
              <li key={channelId} data-channel={config.channelName(channelId)}>
                <span className="channel-name">{config.channelName(channelId)}</span>
                <small className="muted">{config.buyerOf(channelId)?.displayName}</small>
                <span className="spacer" />
                <button
                  className="secondary small"
                  onClick={() => setTier(i, { channelIds: move(tier.channelIds, j, j - 1) })}
                  disabled={j === 0}
                >
                  ↑
                </button>
                <button
                  className="secondary small"
                  onClick={() => setTier(i, { channelIds: move(tier.channelIds, j, j + 1) })}
                  disabled={j === tier.channelIds.length - 1}
                >
                  ↓
                </button>
                <select aria-label="move to tier" value="" onChange={(e) => moveChannel(i, j, Number(e.target.value))}>
                  <option value="">move to…</option>
                  {draft.tiers.map((t, k) =>
                    k === i ? null : (
                      <option key={k} value={k}>
                        tier {k + 1} ({t.name})
                      </option>
                    ),
                  )}
                  <option value={draft.tiers.length}>a new last tier</option>
                </select>
                <button
                  className="secondary small"
                  data-action="remove-channel"
                  onClick={() => setTier(i, { channelIds: tier.channelIds.filter((_, k) => k !== j) })}
                >
                  ✕
                </button>
                {f(`tiers.${i}.channelIds.${j}`)}
              </li>
            ))}
          </ol>
          {f(`tiers.${i}.channelIds`)}
          <select
            aria-label="add channel"
            value=""
            onChange={(e) => e.target.value && setTier(i, { channelIds: [...tier.channelIds, e.target.value] })}
          >
            <option value="">add a channel…</option>
            {config.channels
              .filter((c) => !tier.channelIds.includes(c.id))
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.enabled ? '' : ' (paused)'}
                </option>
              ))}
          </select>
        </div>
      ))}
      <div className="toolbar">
        <button className="secondary" onClick={() => setTiers([...draft.tiers, newTier(draft.tiers.length + 1)])}>
          Add tier
        </button>
        <button onClick={() => void save()} disabled={saving} data-action="save-tree">
          Save tree
        </button>
        {message && (
          <span className={message.kind === 'ok' ? 'ok' : 'error'} role="status">
            {message.text}
          </span>
        )}
      </div>
      <CampaignTimeouts treeId={tree.id} />
      <h3>Channels in this tree</h3>
      <p className="muted">
        Timeouts, priority, filters, caps and schedule belong to each channel; saving one makes a channel version.
      </p>
      {inTree.map((id) => (
        <ChannelSettings key={id} channelId={id} />
      ))}
    </section>
  );
}
