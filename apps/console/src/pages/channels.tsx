import { useEffect, useState } from 'react';
import { api, ApiError, query } from '../api';
import { BarChart } from '../components/bar-chart';
import { useConfigData } from '../config-data';
import type { Channel, ReportRow } from '../domain';
import { fromLocalInput, money, ms, percent, time, toLocalInput } from '../format';
import { href } from '../route';

interface Circuit {
  state: string;
  reason: string | null;
  retryAt: string | null;
}

interface CapUse {
  period: string;
  limitCount: number | null;
  limitSpend: number | null;
  usedCount: number;
  usedSpend: number;
}

/** One channel's totals over the range, from the report's buckets. */
interface Totals {
  leads: number;
  pings: number;
  pingAccepts: number;
  posts: number;
  postAccepts: number;
  revenue: number;
  averageBid: number | null;
  p50: number | null;
  p95: number | null;
}

const RANGES = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
  { label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

interface Range {
  label: string;
  from: string;
  to: string;
}

function lastRange(r: (typeof RANGES)[number]): Range {
  return { label: r.label, from: new Date(Date.now() - r.ms).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
}

/** Hourly buckets up to two days, daily beyond. */
const bucketOf = (range: Range) => (Date.parse(range.to) - Date.parse(range.from) > 2 * 86_400_000 ? 'day' : 'hour');

/**
 * Buckets summed per channel. Percentiles can't be merged exactly: p50 is the pings-weighted mean
 * of the buckets' p50, p95 the worst bucket's p95 (the honest upper bound).
 */
function totals(rows: ReportRow[]): Map<string, Totals> {
  const out = new Map<string, Totals & { bidSum: number; p50Weighted: number; p50Pings: number }>();
  for (const r of rows) {
    const t = out.get(r.key) ?? {
      leads: 0,
      pings: 0,
      pingAccepts: 0,
      posts: 0,
      postAccepts: 0,
      revenue: 0,
      averageBid: null,
      p50: null,
      p95: null,
      bidSum: 0,
      p50Weighted: 0,
      p50Pings: 0,
    };
    t.leads += r.leads;
    t.pings += r.pings;
    t.pingAccepts += r.pingAccepts;
    t.posts += r.posts;
    t.postAccepts += r.postAccepts;
    t.revenue += r.revenue;
    if (r.averageBid !== null) t.bidSum += r.averageBid * r.pingAccepts;
    if (r.pingP50Ms !== null) {
      t.p50Weighted += r.pingP50Ms * r.pings;
      t.p50Pings += r.pings;
    }
    if (r.pingP95Ms !== null) t.p95 = Math.max(t.p95 ?? 0, r.pingP95Ms);
    out.set(r.key, t);
  }
  for (const t of out.values()) {
    t.averageBid = t.pingAccepts > 0 && t.bidSum > 0 ? t.bidSum / t.pingAccepts : null;
    t.p50 = t.p50Pings > 0 ? t.p50Weighted / t.p50Pings : null;
  }
  return out;
}

const rate = (a: number, b: number) => (b > 0 ? a / b : null);

/** Buyers' performance over a range, caps against limits, circuit state, and pause/resume per channel. */
export function ChannelsPage() {
  const config = useConfigData();
  const [range, setRange] = useState<Range>(() => lastRange(RANGES[1]));
  const [custom, setCustom] = useState<{ from?: string; to?: string }>({});
  const [rows, setRows] = useState<ReportRow[]>([]);
  const [circuits, setCircuits] = useState<Record<string, Circuit>>({});
  const [caps, setCaps] = useState<Record<string, CapUse[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [refreshed, setRefreshed] = useState(0);

  useEffect(() => {
    api<{ rows: ReportRow[] }>(
      `/v1/admin/reports${query({ groupBy: 'channel', from: range.from, to: range.to, bucket: bucketOf(range) })}`,
    )
      .then((r) => setRows(r.rows))
      .catch((err: ApiError) => setError(`Reports: ${err.message}`));
  }, [range, refreshed]);

  useEffect(() => {
    for (const c of config.channels) {
      api<Circuit>(`/v1/admin/channels/${c.id}/circuit`)
        .then((circuit) => setCircuits((prev) => ({ ...prev, [c.id]: circuit })))
        .catch(() => undefined);
      api<{ items: CapUse[] }>(`/v1/admin/channels/${c.id}/caps`)
        .then((r) => setCaps((prev) => ({ ...prev, [c.id]: r.items })))
        .catch(() => undefined);
    }
  }, [config.channels, refreshed]);

  async function setEnabled(channel: Channel, enabled: boolean) {
    setBusy(channel.id);
    setError(null);
    try {
      const { id, ...rest } = await api<Channel>(`/v1/admin/channels/${channel.id}`);
      await api(`/v1/admin/channels/${id}`, { method: 'PUT', body: { ...rest, enabled } });
      await config.reload();
    } catch (err) {
      setError(`${channel.name}: ${(err as Error).message}`);
    } finally {
      setBusy(null);
    }
  }

  const byChannel = totals(rows);
  const stats = config.channels.map((c) => ({ channel: c, t: byChannel.get(c.id) }));
  const slowest = [...stats].filter((s) => s.t?.p95 != null).sort((a, b) => (b.t!.p95 ?? 0) - (a.t!.p95 ?? 0))[0];
  const label = (c: Channel) => c.name;

  return (
    <section>
      <h2>Buyers &amp; channels</h2>
      <div className="toolbar">
        {RANGES.map((r) => (
          <button key={r.label} className={r.label === range.label ? '' : 'secondary'} onClick={() => setRange(lastRange(r))}>
            {r.label}
          </button>
        ))}
        <input
          type="datetime-local"
          aria-label="from"
          value={toLocalInput(custom.from)}
          onChange={(e) => setCustom({ ...custom, from: fromLocalInput(e.target.value) })}
        />
        <input
          type="datetime-local"
          aria-label="to"
          value={toLocalInput(custom.to)}
          onChange={(e) => setCustom({ ...custom, to: fromLocalInput(e.target.value) })}
        />
        <button
          className={range.label === 'custom' ? '' : 'secondary'}
          disabled={!custom.from || !custom.to}
          onClick={() => setRange({ label: 'custom', from: custom.from!, to: custom.to! })}
        >
          Show range
        </button>
        <button
          className="secondary"
          onClick={() => {
            const preset = RANGES.find((r) => r.label === range.label);
            if (preset) setRange(lastRange(preset));
            setRefreshed((n) => n + 1);
          }}
        >
          Refresh
        </button>
        {slowest && (
          <span className="muted">
            Slowest buyer: <strong>{config.buyerOf(slowest.channel.id)?.displayName}</strong> ({slowest.channel.name}, p95{' '}
            {ms(slowest.t!.p95)})
          </span>
        )}
      </div>
      {error && <p className="error">{error}</p>}
      <div className="charts">
        <BarChart
          title="Volume (pings / posts)"
          items={stats.map((s) => ({ label: label(s.channel), value: s.t?.pings ?? 0, secondary: s.t?.posts ?? 0 }))}
          format={(v) => String(v)}
        />
        <BarChart
          title="Ping accept rate"
          items={stats.map((s) => ({ label: label(s.channel), value: s.t ? rate(s.t.pingAccepts, s.t.pings) : null }))}
          format={percent}
        />
        <BarChart
          title="Ping → post ratio"
          items={stats.map((s) => ({ label: label(s.channel), value: s.t ? rate(s.t.postAccepts, s.t.pingAccepts) : null }))}
          format={percent}
        />
        <BarChart
          title="Average bid"
          items={stats.map((s) => ({ label: label(s.channel), value: s.t?.averageBid ?? null }))}
          format={money}
        />
        <BarChart
          title="Revenue"
          items={stats.map((s) => ({ label: label(s.channel), value: s.t?.revenue ?? 0 }))}
          format={money}
        />
        <BarChart
          title="Ping latency p50 / p95"
          items={stats.map((s) => ({ label: label(s.channel), value: s.t?.p50 ?? null, secondary: s.t?.p95 ?? null }))}
          format={ms}
        />
      </div>
      {config.buyers.map((buyer) => {
        const channels = stats.filter((s) => s.channel.buyerId === buyer.id);
        if (channels.length === 0) return null;
        return (
          <div key={buyer.id} className="buyer card">
            <h3>
              {buyer.displayName} <small className="muted">{buyer.name}</small>
            </h3>
            <table>
              <thead>
                <tr>
                  <th>Channel</th>
                  <th>Status</th>
                  <th>Circuit</th>
                  <th>Caps used / limit</th>
                  <th className="num">Pings</th>
                  <th className="num">Accept</th>
                  <th className="num">Ping→post</th>
                  <th className="num">Avg bid</th>
                  <th className="num">Revenue</th>
                  <th className="num">p50 / p95</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {channels.map(({ channel: c, t }) => {
                  const circuit = circuits[c.id];
                  return (
                    <tr key={c.id} data-channel={c.name}>
                      <td>
                        <a href={href(`versions/channel/${c.id}`)}>{c.name}</a>
                      </td>
                      <td>
                        <span className={`state ${c.enabled ? 'sold' : 'unsold'}`} data-testid="channel-status">
                          {c.enabled ? 'active' : 'paused'}
                        </span>
                      </td>
                      <td title={circuit?.reason ?? ''}>
                        <span className={`state ${circuit?.state === 'open' ? 'unsold' : 'sold'}`}>{circuit?.state ?? '…'}</span>
                        {circuit?.retryAt && <small className="muted"> until {time(circuit.retryAt)}</small>}
                      </td>
                      <td>
                        {(caps[c.id] ?? []).length === 0
                          ? 'none'
                          : caps[c.id]!.map((cap) => (
                              <div key={cap.period}>
                                {cap.period}: {cap.limitCount !== null && `${cap.usedCount} / ${cap.limitCount} leads`}
                                {cap.limitSpend !== null && ` ${money(cap.usedSpend)} / ${money(cap.limitSpend)}`}
                              </div>
                            ))}
                      </td>
                      <td className="num">{t?.pings ?? 0}</td>
                      <td className="num">{percent(t ? rate(t.pingAccepts, t.pings) : null)}</td>
                      <td className="num">{percent(t ? rate(t.postAccepts, t.pingAccepts) : null)}</td>
                      <td className="num">{money(t?.averageBid)}</td>
                      <td className="num">{money(t?.revenue ?? 0)}</td>
                      <td className="num">
                        {ms(t?.p50)} / {ms(t?.p95)}
                      </td>
                      <td>
                        <button className="secondary" disabled={busy === c.id} onClick={() => void setEnabled(c, !c.enabled)}>
                          {c.enabled ? 'Pause' : 'Resume'}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}
