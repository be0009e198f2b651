import * as os from 'node:os';
import { tally, violations, type Findings } from './checks';
import type { FaultRecord } from './fault-schedule';
import type { Reconciliation } from './reconcile-with-buyers';
import type { LeadAnswer } from './lead-load';
import type { UnexpectedExit } from './service-processes';

/** The gateway itself is down in this phase: its connection errors and 5xx are the fault, not a failure. */
const GATEWAY_DOWN_PHASE = 'kill gateway';

export interface SummaryInput {
  startedAt: number;
  loadSeconds: number;
  leadsPerSecond: number;
  answers: LeadAnswer[];
  skippedTicks: number;
  faults: FaultRecord[];
  findings: Findings;
  /** The operator's reconciliation of lost post answers, and the checks run again after it. */
  reconciliation: Reconciliation;
  afterReconciliation: Findings;
  settledAfterMs: number;
  settleTimedOut: boolean;
  unexpectedExits: UnexpectedExit[];
  suiteEventLoopDelayMs: { p99: number; max: number };
  /** 1, 5 and 15 minute load averages at the end: a busy machine makes buyers and services late. */
  machineLoad: number[];
}

export function buildSummary(s: SummaryInput) {
  const accepted = s.answers.filter((a) => a.status === 200 && a.leadId !== null);
  const failed = (a: LeadAnswer) => a.error !== null || (a.status !== null && a.status >= 500);
  // Sent before the kill and cut off by it, or sent while the gateway was down.
  const gatewayDown = (a: LeadAnswer) => a.phase === GATEWAY_DOWN_PHASE || a.answeredPhase === GATEWAY_DOWN_PHASE;
  const describe = (a: LeadAnswer) => (a.error !== null ? `connection: ${a.error}` : `HTTP ${a.status}: ${a.reason ?? ''}`);
  const guarantees = violations(s.findings);
  const problems = [
    ...Object.entries(guarantees)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${name}: ${n}`),
    ...s.unexpectedExits.map((e) => `${e.name} exited on its own (${e.signal ?? e.code})`),
    ...s.faults.filter((f) => f.sellingAgainAfterMs === null).map((f) => `no sale after ${f.fault}`),
    ...s.faults.flatMap((f) => f.idleReplicas.map((name) => `${name} answered nothing after ${f.fault}`)),
    ...Object.entries(violations(s.afterReconciliation))
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `after reconciliation, ${name}: ${n}`),
    ...s.reconciliation.refused.map((r) => `reconciliation refused for ${r}`),
    ...(s.afterReconciliation.needsReconciliation.count > 0
      ? [`${s.afterReconciliation.needsReconciliation.count} leads still need reconciliation after it`]
      : []),
    ...Object.entries(s.afterReconciliation.boughtNotRecorded).map(
      ([how, n]) => `after reconciliation, ${n} bought by the buyer but recorded as ${how}`,
    ),
  ];
  return {
    verdict: problems.length === 0 ? 'pass' : 'fail',
    problems,
    startedAt: new Date(s.startedAt).toISOString(),
    durationSeconds: Math.round((Date.now() - s.startedAt) / 1000),
    load: { seconds: s.loadSeconds, leadsPerSecond: s.leadsPerSecond, skippedTicks: s.skippedTicks },
    sent: s.answers.length,
    accepted: accepted.length,
    ...guarantees,
    answers: {
      byStatus: tally(s.answers.map((a) => (a.status !== null ? String(a.status) : 'no answer'))),
      acceptedByState: tally(accepted.map((a) => a.state ?? '?')),
      byPhase: Object.fromEntries(
        [...new Set(s.answers.map((a) => a.phase))].map((phase) => {
          const inPhase = s.answers.filter((a) => a.phase === phase);
          return [phase, tally(inPhase.map((a) => (a.state ? a.state : a.status !== null ? `HTTP ${a.status}` : 'no answer')))];
        }),
      ),
    },
    fiveXxOrConnectionErrors: {
      whileGatewayDown: tally(s.answers.filter((a) => gatewayDown(a) && failed(a)).map(describe)),
      otherPhases: tally(s.answers.filter((a) => !gatewayDown(a) && failed(a)).map((a) => `${a.answeredPhase}: ${describe(a)}`)),
    },
    unsoldReasons: tally(accepted.filter((a) => a.state !== 'sold').map((a) => `${a.state}: ${a.reason ?? ''}`)),
    faults: s.faults.map((f) => ({
      fault: f.fault,
      inFlight: f.inFlight,
      downMs: f.downMs,
      readyAfterMs: f.readyAfterMs,
      sellingAgainAfterMs: f.sellingAgainAfterMs,
      idleReplicas: f.idleReplicas,
      // A second replica keeps ping and post serving while the first is down.
      soldWhileDown: s.answers.filter((a) => a.state === 'sold' && a.sentAt >= f.at && a.sentAt < f.restartedAt).length,
    })),
    settle: { afterMs: s.settledAfterMs, timedOut: s.settleTimedOut },
    environment: { suiteEventLoopDelayMs: s.suiteEventLoopDelayMs, machineLoad: s.machineLoad, cpus: os.cpus().length },
    findings: s.findings,
    reconciliation: {
      ...s.reconciliation,
      finalStates: s.afterReconciliation.finalStates,
      boughtNotRecorded: s.afterReconciliation.boughtNotRecorded,
    },
    unexpectedExits: s.unexpectedExits,
  };
}

export type Summary = ReturnType<typeof buildSummary>;

export function printSummary(summary: Summary, write: (line: string) => void): void {
  const f = summary.findings;
  write('');
  write(`==== fault suite: ${summary.verdict.toUpperCase()} (${summary.durationSeconds} s) ====`);
  write(`sent            ${summary.sent}  (${summary.load.leadsPerSecond}/s for ${summary.load.seconds} s)`);
  write(`accepted        ${summary.accepted}  (HTTP 200 with a leadId)`);
  write(`not terminal    ${summary.notTerminal}`);
  write(
    `double-sold     ${summary.doubleSold}  (post_attempts ${f.doubleSold.fromPostAttempts}, bought by two buyers ${f.doubleSold.boughtByTwoBuyers}, ` +
      `posted to another buyer after one bought ${f.doubleSold.postedAfterBought}, ` +
      `posted twice to one buyer: recorder ${f.doubleSold.postedTwiceToOneBuyer.recorder}, sim log ${f.doubleSold.postedTwiceToOneBuyer.simRequestLog})`,
  );
  write(
    `cap overshoot   ${summary.capOvershoot}  (cap ${f.capOvershoot.cap}/day: accepted posts ${f.capOvershoot.acceptedPostAttempts}, ` +
      `bought by the buyer ${f.capOvershoot.boughtByCappedBuyer}, window used_count ${f.capOvershoot.maxWindowUsedCount}, still reserved ${f.capOvershoot.stillReserved})`,
  );
  write(
    `lost events     ${summary.lostEvents}  (missing received ${f.lostEvents.acceptedMissingReceived}, finished ${f.lostEvents.acceptedMissingFinished}, ` +
      `post attempts without an event ${f.lostEvents.postAttemptsWithoutEvent})`,
  );
  write(`leads in DB     ${f.leadsInDb}  final states ${inline(f.finalStates)}`);
  write(`needs reconciliation ${f.needsReconciliation.count}  reasons ${inline(f.needsReconciliation.reasons)}`);
  write(`  unanswered posts, what the buyer really did: ${inline(f.needsReconciliation.unknownPosts)}`);
  write(`  bought by the buyer, recorded otherwise: ${inline(f.boughtNotRecorded)}`);
  const r = summary.reconciliation;
  write(`reconciled      ${inline(r.recorded)}${r.refused.length ? `; refused ${r.refused.length}` : ''}`);
  write(`  then final states ${inline(r.finalStates)}; bought by the buyer, recorded otherwise: ${inline(r.boughtNotRecorded)}`);
  write(
    `buyer posts     recorder ${f.buyerPosts.recorder}, sim log ${f.buyerPosts.simRequestLog}, bought ${f.buyerPosts.bought}, answers lost ${f.buyerPosts.answersLost}`,
  );
  write(`answers         ${inline(summary.answers.byStatus)}; accepted by state ${inline(summary.answers.acceptedByState)}`);
  write(`5xx/conn errors while the gateway was down (expected): ${inline(summary.fiveXxOrConnectionErrors.whileGatewayDown)}`);
  write(`5xx/conn errors in other phases: ${inline(summary.fiveXxOrConnectionErrors.otherPhases)}`);
  write('faults:');
  for (const fault of summary.faults) {
    write(
      `  ${fault.fault.padEnd(18)} hit ${fault.inFlight.leads} leads / ${fault.inFlight.posts} posts in flight, down ${fault.downMs} ms, ready +${fault.readyAfterMs} ms, selling again +${fault.sellingAgainAfterMs ?? 'NEVER'} ms, sold while down ${fault.soldWhileDown}` +
        (fault.idleReplicas.length > 0 ? `, IDLE: ${fault.idleReplicas.join(', ')}` : ''),
    );
  }
  write(`settled ${summary.settle.afterMs} ms after the load stopped${summary.settle.timedOut ? ' (TIMED OUT)' : ''}`);
  const env = summary.environment;
  write(
    `machine: ${env.cpus} CPUs, load ${env.machineLoad.join(' ')}; suite event loop delay p99 ${env.suiteEventLoopDelayMs.p99} ms, max ${env.suiteEventLoopDelayMs.max} ms`,
  );
  for (const exit of summary.unexpectedExits)
    write(`!! ${exit.name} exited on its own (${exit.signal ?? exit.code}); log tail:\n${exit.logTail}`);
  if (summary.problems.length > 0) write(`problems: ${summary.problems.join('; ')}`);
}

function inline(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([, a], [, b]) => b - a);
  return entries.length === 0 ? '-' : entries.map(([k, n]) => `${k}=${n}`).join(', ');
}
