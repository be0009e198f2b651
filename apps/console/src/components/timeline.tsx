import { useState } from 'react';
import { useConfigData } from '../config-data';
import type { TrailEvent, Tree } from '../domain';
import { money, ms } from '../format';

interface Step {
  event: TrailEvent;
  /** Milliseconds since the lead was received. */
  start: number;
  duration: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Where each step sits in time. Pings and posts carry their own duration and are reported when
 * they end; the pings of a parallel tier all start together, a sequential tier's one after another.
 */
function layout(events: TrailEvent[], tree: Tree | undefined): Step[] {
  const steps: Step[] = [];
  const pingsByTier = new Map<string, TrailEvent[]>();
  for (const e of events) {
    if (e.type === 'pinged') {
      const key = `${e.tierIndex}:${e.msSinceReceived}`;
      pingsByTier.set(key, [...(pingsByTier.get(key) ?? []), e]);
    }
  }
  for (const group of pingsByTier.values()) {
    const sequential = tree?.tiers[group[0]!.tierIndex ?? -1]?.pingMode === 'sequential';
    const durations = group.map((e) => num(e.data['ms']) ?? 0);
    const end = group[0]!.msSinceReceived;
    if (sequential) {
      let at = end - durations.reduce((a, b) => a + b, 0);
      group.forEach((event, i) => {
        steps.push({ event, start: at, duration: durations[i]! });
        at += durations[i]!;
      });
    } else {
      const start = end - Math.max(...durations);
      group.forEach((event, i) => steps.push({ event, start, duration: durations[i]! }));
    }
  }
  for (const e of events) {
    if (e.type === 'pinged') continue;
    const duration = e.type === 'posted' ? (num(e.data['ms']) ?? 0) : 0;
    steps.push({ event: e, start: e.msSinceReceived - duration, duration });
  }
  return steps.sort((a, b) => a.start - b.start || a.event.msSinceReceived - b.event.msSinceReceived);
}

function summary(e: TrailEvent): string {
  const d = e.data;
  switch (e.type) {
    case 'received':
      return 'lead received';
    case 'excluded':
      return `excluded: ${String(d['reason'] ?? '')}${d['rule'] ? ` (rule ${JSON.stringify(d['rule'])})` : ''}${d['detail'] ? ` — ${String(d['detail'])}` : ''}`;
    case 'pinged':
      return `${d['outcome'] === 'bid' ? 'bid' : `ping ${String(d['outcome'])}`}${num(d['price']) !== null ? ` ${money(num(d['price']))}` : ''}${d['reason'] ? ` — ${String(d['reason'])}` : ''}${d['httpStatus'] ? ` (HTTP ${String(d['httpStatus'])})` : ''}`;
    case 'selected':
      return `selected rank ${String(d['rank'])} at ${money(num(d['price']))} (${String(d['logic'] ?? '')}, rule: ${String(d['rule'] ?? '')})`;
    case 'passed_over':
      return `passed over: ${String(d['reason'] ?? '')}`;
    case 'post_attempted':
      return `post sent at ${money(num(d['price']))}`;
    case 'posted':
      return `post ${String(d['outcome'])}${d['reason'] ? ` — ${String(d['reason'])}` : ''}`;
    case 'offered':
      return `offered to the consumer at ${money(num(d['price']))}`;
    case 'picked':
      return 'picked by the consumer';
    case 'returned':
      return `returned: ${String(d['reason'] ?? '')}`;
    case 'finished':
      return `finished: ${String(d['state'])}${d['reason'] ? ` (${String(d['reason'])})` : ''}`;
    default:
      return e.type;
  }
}

function tone(e: TrailEvent): string {
  const outcome = String(e.data['outcome'] ?? '');
  if (e.type === 'excluded' || e.type === 'passed_over') return 'muted';
  if (e.type === 'pinged')
    return outcome === 'bid' || outcome === 'post_only' ? 'good' : outcome === 'rejected' ? 'muted' : 'bad';
  if (e.type === 'posted') return outcome === 'accepted' ? 'good' : 'bad';
  if (e.type === 'selected' || e.type === 'finished') return 'accent';
  return '';
}

/** The trail, one row per step, each step's milliseconds drawn to the scale of the whole lead. */
export function Timeline({ events, totalMs, tree }: { events: TrailEvent[]; totalMs: number; tree: Tree | undefined }) {
  const config = useConfigData();
  const [open, setOpen] = useState<string | null>(null);
  const steps = layout(events, tree);
  const scale = Math.max(totalMs, ...steps.map((s) => s.start + s.duration), 1);
  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-axis">
        <span>0 ms</span>
        <span>{ms(scale / 2)}</span>
        <span>{ms(scale)}</span>
      </div>
      {steps.map(({ event: e, start, duration }) => {
        const detail = e.type === 'pinged' || e.type === 'posted';
        return (
          <div key={e.id} className={`step ${tone(e)}`} data-type={e.type}>
            <div className="step-label" onClick={() => detail && setOpen(open === e.id ? null : e.id)}>
              <span className="step-type">{e.type.replace('_', ' ')}</span>
              {e.tierIndex !== null && <span className="tier">tier {e.tierIndex + 1}</span>}
              {e.channelId && <span className="channel">{config.channelName(e.channelId)}</span>}
              <span className="step-summary" title={summary(e)}>
                {summary(e)}
              </span>
              {detail && <span className="link">{open === e.id ? 'hide' : 'answer'}</span>}
            </div>
            <div className="step-track">
              <div
                className={duration > 0 ? 'bar' : 'tick'}
                style={{
                  left: `${(Math.max(0, start) / scale) * 100}%`,
                  width: duration > 0 ? `${Math.max((duration / scale) * 100, 0.4)}%` : undefined,
                }}
                title={`${ms(start)} → ${ms(start + duration)}`}
              />
            </div>
            <span className="step-ms">{duration > 0 ? ms(duration) : `@ ${ms(e.msSinceReceived)}`}</span>
            {open === e.id && (
              <div className="step-detail">
                {e.data['request'] !== undefined && e.data['request'] !== null && (
                  <>
                    <h4>Request sent (no contact data)</h4>
                    <pre>{String(e.data['request'])}</pre>
                  </>
                )}
                <h4>Answer excerpt</h4>
                <pre data-testid="answer-excerpt">{String(e.data['answer'] ?? '') || '(empty)'}</pre>
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
