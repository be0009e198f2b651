import { useState } from 'react';
import { api, ApiError, type FieldIssue } from '../api';
import { useConfigData } from '../config-data';
import type { Channel } from '../domain';
import { FieldError } from './field-error';

const JSON_FIELDS = ['filters', 'caps', 'schedule'] as const;

function text(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

/** One channel's timeouts, priority, filters, caps and schedule; JSON for the structured ones. */
export function ChannelSettings({ channelId }: { channelId: string }) {
  const config = useConfigData();
  const channel = config.channels.find((c) => c.id === channelId);
  const [open, setOpen] = useState(false);
  if (!channel) return null;
  return (
    <div className="card channel-settings">
      <button className="link" onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'} {channel.name} <small className="muted">{channel.enabled ? '' : '(paused)'}</small>
      </button>
      {open && <ChannelForm key={JSON.stringify(channel)} channel={channel} />}
    </div>
  );
}

function ChannelForm({ channel }: { channel: Channel }) {
  const config = useConfigData();
  const [numbers, setNumbers] = useState({
    pingTimeoutMs: channel.pingTimeoutMs,
    postTimeoutMs: channel.postTimeoutMs,
    priority: channel.priority,
  });
  const [enabled, setEnabled] = useState(channel.enabled);
  const [json, setJson] = useState<Record<string, string>>(Object.fromEntries(JSON_FIELDS.map((k) => [k, text(channel[k])])));
  const [fields, setFields] = useState<FieldIssue[]>([]);
  const [status, setStatus] = useState<string | null>(null);

  async function save() {
    setFields([]);
    setStatus(null);
    const parsed: Record<string, unknown> = {};
    const bad: FieldIssue[] = [];
    for (const k of JSON_FIELDS) {
      if (json[k]!.trim() === '') continue;
      try {
        parsed[k] = JSON.parse(json[k]!);
      } catch (err) {
        bad.push({ field: k, message: `not JSON: ${(err as Error).message}` });
      }
    }
    if (bad.length > 0) return setFields(bad);
    try {
      const { id, ...rest } = await api<Channel>(`/v1/admin/channels/${channel.id}`);
      // An empty schedule box means always open.
      delete rest.schedule;
      await api(`/v1/admin/channels/${id}`, { method: 'PUT', body: { ...rest, ...numbers, enabled, ...parsed } });
      await config.reload();
      setStatus('Saved.');
    } catch (err) {
      setFields((err as ApiError).fields ?? []);
      setStatus((err as ApiError).message);
    }
  }

  const num = (key: keyof typeof numbers, label: string) => (
    <label>
      {label}
      <input
        type="number"
        name={key}
        value={numbers[key]}
        onChange={(e) => setNumbers({ ...numbers, [key]: Number(e.target.value) })}
      />
      <FieldError fields={fields} path={key} />
    </label>
  );
  return (
    <div className="channel-form">
      <div className="tier-fields">
        {num('pingTimeoutMs', 'Ping timeout (ms)')}
        {num('postTimeoutMs', 'Post timeout (ms)')}
        {num('priority', 'Priority')}
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
        </label>
      </div>
      {JSON_FIELDS.map((k) => (
        <label key={k} className="block">
          {k} <small className="muted">(JSON{k === 'schedule' ? '; empty for always open' : ''})</small>
          <textarea name={k} rows={4} value={json[k]} onChange={(e) => setJson({ ...json, [k]: e.target.value })} />
          <FieldError fields={fields} path={k} nested />
        </label>
      ))}
      <button className="secondary" onClick={() => void save()}>
        Save channel
      </button>
      {status && <span className="muted"> {status}</span>}
    </div>
  );
}
