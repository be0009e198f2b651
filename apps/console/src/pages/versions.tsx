import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { DiffView } from '../components/diff-view';
import { useConfigData } from '../config-data';
import type { ConfigVersion } from '../domain';
import { time } from '../format';
import { href, navigate } from '../route';

/** Every saved change of a tree or channel: who, when, what changed; one click rolls back. */
export function VersionsPage({ kind, entityId }: { kind: 'tree' | 'channel'; entityId?: string }) {
  const config = useConfigData();
  const entities = kind === 'tree' ? config.trees : config.channels;
  const id = entityId ?? entities[0]?.id;
  const [versions, setVersions] = useState<ConfigVersion[]>([]);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    if (!id) return;
    api<{ items: ConfigVersion[] }>(`/v1/admin/${kind}s/${id}/versions`)
      .then((r) => setVersions(r.items))
      .catch((err: ApiError) => setMessage({ kind: 'error', text: err.message }));
  }, [kind, id, reloads]);

  async function rollback(version: number) {
    setMessage(null);
    try {
      const r = await api<{ current: ConfigVersion }>(`/v1/admin/${kind}s/${id}/versions/${version}/rollback`, {
        method: 'POST',
      });
      setMessage({ kind: 'ok', text: `Rolled back to version ${version}: now version ${r.current.version}.` });
      await config.reload();
      setReloads((n) => n + 1);
    } catch (err) {
      const e = err as ApiError;
      setMessage({ kind: 'error', text: [e.message, ...e.fields.map((f) => `${f.field}: ${f.message}`)].join('; ') });
    }
  }

  return (
    <section>
      <div className="toolbar">
        <h2>Versions</h2>
        <select aria-label="kind" value={kind} onChange={(e) => navigate(`versions/${e.target.value}`)}>
          <option value="tree">trees</option>
          <option value="channel">channels</option>
        </select>
        <select aria-label="entity" value={id ?? ''} onChange={(e) => navigate(`versions/${kind}/${e.target.value}`)}>
          {entities.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
        {kind === 'tree' && id && <a href={href(`trees/${id}`)}>Edit tree</a>}
      </div>
      {message && (
        <p className={message.kind === 'ok' ? 'ok' : 'error'} role="status">
          {message.text}
        </p>
      )}
      {versions.length === 0 && <p className="muted">No versions recorded yet: the first save records one.</p>}
      {versions.map((v, i) => (
        <div className="version card" key={v.version} data-version={v.version}>
          <div className="version-head">
            <strong>Version {v.version}</strong>
            {i === 0 && <span className="badge">current</span>}
            <span>
              by <strong>{v.author}</strong> at {time(v.createdAt)}
            </span>
            {v.note && <em className="muted">{v.note}</em>}
            <span className="spacer" />
            {i > 0 && (
              <button className="secondary" data-action="rollback" onClick={() => void rollback(v.version)}>
                Roll back to this version
              </button>
            )}
          </div>
          <DiffView changes={v.version === 1 ? [] : v.diff} />
          {v.version === 1 && <p className="muted">First recorded version.</p>}
        </div>
      ))}
    </section>
  );
}
