import { useConfigData } from '../config-data';
import type { ConfigChange } from '../domain';
import { json } from '../format';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Changed paths with the value before and after; ids of channels, buyers and trees read as their names. */
export function DiffView({ changes }: { changes: ConfigChange[] }) {
  const config = useConfigData();
  if (changes.length === 0) return null;
  const names = new Map<string, string>([...config.channels, ...config.buyers, ...config.trees].map((r) => [r.id, r.name]));
  const show = (value: unknown) => json(value).replace(UUID, (id) => names.get(id) ?? id);
  return (
    <table className="diff">
      <thead>
        <tr>
          <th>Path</th>
          <th>Before</th>
          <th>After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path}>
            <td className="mono">{c.path}</td>
            <td className="before mono">{'before' in c ? show(c.before) : ''}</td>
            <td className="after mono">{'after' in c ? show(c.after) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
