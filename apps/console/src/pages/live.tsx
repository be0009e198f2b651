import { useEffect, useState } from 'react';
import { adminHeaders } from '../api';
import type { LiveLead } from '../domain';
import { money, ms } from '../format';
import { href } from '../route';

const KEEP = 200;

/** Reads `event: lead` messages from the SSE stream; fetch (not EventSource) so the admin key goes in a header. */
async function stream(signal: AbortSignal, onLead: (lead: LiveLead) => void, onOpen: () => void): Promise<void> {
  const res = await fetch('/v1/admin/live', { headers: adminHeaders(), signal });
  if (!res.ok || !res.body) throw new Error(`live view: HTTP ${res.status}`);
  onOpen();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = message
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (data && message.includes('event: lead')) onLead(JSON.parse(data) as LiveLead);
    }
  }
}

/** Leads as they finish, with outcome and price, without reloading; reconnects if the stream drops. */
export function LivePage() {
  const [leads, setLeads] = useState<LiveLead[]>([]);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      stream(
        controller.signal,
        (lead) => setLeads((prev) => [lead, ...prev].slice(0, KEEP)),
        () => {
          setConnected(true);
          setError(null);
        },
      )
        .catch((err: Error) => {
          if (!controller.signal.aborted) setError(err.message);
        })
        .finally(() => {
          setConnected(false);
          if (!controller.signal.aborted) retry = setTimeout(connect, 2000);
        });
    };
    connect();
    return () => {
      controller.abort();
      clearTimeout(retry);
    };
  }, []);

  const sold = leads.filter((l) => l.state === 'sold');
  return (
    <section>
      <div className="toolbar">
        <h2>Live</h2>
        <span className={`badge ${connected ? 'live' : ''}`} data-testid="live-status">
          {connected ? 'connected' : 'connecting…'}
        </span>
        <span className="muted">
          {leads.length} leads, {sold.length} sold, {money(sold.reduce((a, l) => a + l.price, 0))} revenue since you opened this
          page
        </span>
      </div>
      {error && <p className="error">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>Finished</th>
            <th>Lead</th>
            <th>Outcome</th>
            <th>Buyers</th>
            <th className="num">Price</th>
            <th className="num">Time</th>
          </tr>
        </thead>
        <tbody data-testid="live-leads">
          {leads.map((l) => (
            <tr key={l.leadId}>
              <td>{new Date(l.at).toLocaleTimeString()}</td>
              <td>
                <a className="mono" href={href(`lead/${l.leadId}`)}>
                  {l.leadId}
                </a>
              </td>
              <td>
                <span className={`state ${l.state}`}>{l.state}</span> {l.reason && <small className="muted">{l.reason}</small>}
              </td>
              <td>{l.buyers.join(', ')}</td>
              <td className="num">{l.price > 0 ? money(l.price) : ''}</td>
              <td className="num">{ms(l.ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
