import type { Client } from 'pg';
import { runChecks, type CheckInput, type Findings } from './checks';
import { sleep } from './private-servers';

/**
 * Leads cut short by a crash settle 30 s after their deadline, cap reservations 60 s after it,
 * and audit catches up on the events that waited in the stream. Waits for all three, bounded.
 */
const SETTLE_TIMEOUT_MS = 150_000;
/** Events stop arriving for this long: audit has caught up with what will ever come. */
const EVENTS_QUIET_MS = 30_000;
const POLL_MS = 3_000;

export interface Settled {
  findings: Findings;
  settledAfterMs: number;
  timedOut: boolean;
}

export async function waitForSettling(db: Client, input: () => CheckInput, log: (m: string) => void): Promise<Settled> {
  const from = Date.now();
  let lastEvents = -1;
  let eventsChangedAt = Date.now();
  for (;;) {
    const findings = await runChecks(input());
    const reserved = await count(db, `SELECT count(*)::int AS n FROM cap_reservations WHERE state = 'reserved'`);
    const events = await count(db, `SELECT count(*)::int AS n FROM lead_events`);
    if (events !== lastEvents) [lastEvents, eventsChangedAt] = [events, Date.now()];
    const open = findings.notTerminal.count;
    const lost = findings.lostEvents.count;
    const settledAfterMs = Date.now() - from;
    if (open === 0 && reserved === 0 && (lost === 0 || Date.now() - eventsChangedAt > EVENTS_QUIET_MS)) {
      return { findings, settledAfterMs, timedOut: false };
    }
    if (settledAfterMs > SETTLE_TIMEOUT_MS) return { findings, settledAfterMs, timedOut: true };
    log(`settling: ${open} leads not terminal, ${reserved} cap reservations held, ${lost} events missing (${events} stored)`);
    await sleep(POLL_MS);
  }
}

async function count(db: Client, sql: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql);
  return rows[0]?.n ?? 0;
}
