import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, query } from '../api';
import { FieldError } from '../components/field-error';
import { useConfigData } from '../config-data';
import { LEAD_STATES, type LeadSummary } from '../domain';
import { fromLocalInput, money, ms, time, toLocalInput } from '../format';
import { href, navigate } from '../route';

const FILTERS = ['from', 'to', 'supplierId', 'state', 'channelId', 'supplierLeadId', 'phone', 'email'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

function filtersFrom(q: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.flatMap((f) => (q.get(f) ? [[f, q.get(f)!]] : [])));
}

/**
 * Lead search: by time range, supplier, state, channel, supplier lead id, phone or email. Phone and
 * email are sent to the API, hashed there and matched against the leads' hashes; no list shows contact data.
 */
export function LeadsPage({ query: routeQuery }: { query: URLSearchParams }) {
  const config = useConfigData();
  const applied = filtersFrom(routeQuery);
  const [draft, setDraft] = useState<Filters>(applied);
  const [items, setItems] = useState<LeadSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const appliedKey = JSON.stringify(applied);

  async function load(cursor?: string) {
    setLoading(true);
    setError(null);
    try {
      const page = await api<{ items: LeadSummary[]; nextCursor: string | null }>(
        `/v1/admin/leads${query({ ...applied, limit: 50, cursor })}`,
      );
      setItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (err) {
      setError(err as ApiError);
      setItems([]);
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    setDraft(applied);
    void load();
  }, [appliedKey]);

  function submit(e: FormEvent) {
    e.preventDefault();
    navigate('leads', draft);
  }

  const set = (key: keyof Filters) => (value: string) => setDraft((d) => ({ ...d, [key]: value || undefined }));
  const fields = error?.fields ?? [];

  return (
    <section>
      <h2>Leads</h2>
      <form className="filters card" onSubmit={submit}>
        <label>
          From
          <input
            type="datetime-local"
            name="from"
            value={toLocalInput(draft.from)}
            onChange={(e) => set('from')(fromLocalInput(e.target.value) ?? '')}
          />
          <FieldError fields={fields} path="from" />
        </label>
        <label>
          To
          <input
            type="datetime-local"
            name="to"
            value={toLocalInput(draft.to)}
            onChange={(e) => set('to')(fromLocalInput(e.target.value) ?? '')}
          />
          <FieldError fields={fields} path="to" />
        </label>
        <label>
          Supplier
          <select name="supplierId" value={draft.supplierId ?? ''} onChange={(e) => set('supplierId')(e.target.value)}>
            <option value="">any</option>
            {config.suppliers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select name="state" value={draft.state ?? ''} onChange={(e) => set('state')(e.target.value)}>
            <option value="">any</option>
            {LEAD_STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Channel
          <select name="channelId" value={draft.channelId ?? ''} onChange={(e) => set('channelId')(e.target.value)}>
            <option value="">any</option>
            {config.channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Supplier lead id
          <input
            name="supplierLeadId"
            value={draft.supplierLeadId ?? ''}
            onChange={(e) => set('supplierLeadId')(e.target.value)}
          />
        </label>
        <label>
          Phone
          <input
            name="phone"
            value={draft.phone ?? ''}
            onChange={(e) => set('phone')(e.target.value)}
            placeholder="matched by hash"
          />
          <FieldError fields={fields} path="phone" />
        </label>
        <label>
          Email
          <input
            name="email"
            value={draft.email ?? ''}
            onChange={(e) => set('email')(e.target.value)}
            placeholder="matched by hash"
          />
          <FieldError fields={fields} path="email" />
        </label>
        <div className="actions">
          <button type="submit">Search</button>
          <a className="button secondary" href={href('leads')}>
            Clear
          </a>
        </div>
      </form>
      {error && <p className="error">{error.message}</p>}
      <table className="leads">
        <thead>
          <tr>
            <th>Received</th>
            <th>Lead</th>
            <th>State</th>
            <th>Campaign</th>
            <th>Supplier</th>
            <th>Supplier lead id</th>
            <th>Sold to</th>
            <th className="num">Price</th>
            <th className="num">Time</th>
          </tr>
        </thead>
        <tbody>
          {items.map((l) => (
            <tr key={l.id}>
              <td>{time(l.receivedAt)}</td>
              <td>
                <a href={href(`lead/${l.id}`)} className="mono">
                  {l.id}
                </a>
              </td>
              <td>
                <span className={`state ${l.state}`}>{l.state}</span>
                {l.reason && <small className="muted"> {l.reason}</small>}
              </td>
              <td>{l.campaign.key}</td>
              <td>{l.supplier.name}</td>
              <td className="mono">{l.supplierLeadId}</td>
              <td>{l.sales.map((s) => s.buyer).join(', ')}</td>
              <td className="num">{l.sales.length ? money(l.sales.reduce((a, s) => a + s.price, 0)) : ''}</td>
              <td className="num">{ms(l.ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && items.length === 0 && !error && <p className="muted">No leads match.</p>}
      {next && (
        <button className="secondary" onClick={() => void load(next)} disabled={loading}>
          Load more
        </button>
      )}
    </section>
  );
}
