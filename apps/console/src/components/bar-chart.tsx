/** A horizontal bar per item, scaled to the largest; enough to see who is slow or who earns. */
export function BarChart({
  title,
  items,
  format,
}: {
  title: string;
  items: Array<{ label: string; value: number | null; secondary?: number | null }>;
  format: (v: number) => string;
}) {
  const max = Math.max(...items.map((i) => Math.max(i.value ?? 0, i.secondary ?? 0)), 0);
  return (
    <figure className="chart card">
      <figcaption>{title}</figcaption>
      {items.map((i) => (
        <div className="chart-row" key={i.label}>
          <span className="chart-label">{i.label}</span>
          <span className="chart-track">
            {i.secondary !== undefined && i.secondary !== null && (
              <span className="chart-bar secondary" style={{ width: `${max ? (i.secondary / max) * 100 : 0}%` }} />
            )}
            <span className="chart-bar" style={{ width: `${max && i.value ? (i.value / max) * 100 : 0}%` }} />
          </span>
          <span className="chart-value">
            {i.value === null ? '–' : format(i.value)}
            {i.secondary !== undefined && i.secondary !== null && ` / ${format(i.secondary)}`}
          </span>
        </div>
      ))}
    </figure>
  );
}
