import type { RestartableServer } from './private-servers';
import { sleep } from './private-servers';
import type { ServiceProcess } from './service-processes';

/** One fault as it happened: when, how long the target was down, how long it took to be ready again. */
export interface FaultRecord {
  fault: string;
  target: string;
  at: number;
  /** When it was started again (epoch ms). */
  restartedAt: number;
  downMs: number;
  /** Until every service answered /health/ready again. */
  readyAfterMs: number;
  /** Until a lead sent after the restart was sold: the platform serves again (null: not within the bound). */
  sellingAgainAfterMs: number | null;
  /** After a NATS or PostgreSQL restart: replicas that answered no request while their service did. */
  idleReplicas: string[];
  /** Leads waiting for their answer and posts on the wire to buyers when the fault hit: it hit mid-flow. */
  inFlight: { leads: number; posts: number };
}

export interface FaultTargets {
  /** Services in the order they are killed; each is the first replica of its service. */
  services: ServiceProcess[];
  /** Every service process, to wait for all of them after an infrastructure restart. */
  all: ServiceProcess[];
  /** The processes that answer NATS requests, with the service each belongs to. */
  responders: Array<{ service: string; process: ServiceProcess }>;
  nats: RestartableServer;
  postgres: RestartableServer;
  /** Resolves when a post is on the wire to a buyer, so the post service dies mid-post. */
  postInFlight: () => Promise<void>;
  /** When the first lead sent since `since` (epoch ms) was answered sold, or null. */
  firstSaleSince: (since: number) => number | null;
  inFlight: () => { leads: number; posts: number };
  setPhase: (phase: string) => void;
  log: (message: string) => void;
}

/** How long a killed service stays down, and the steady load between faults. */
const DOWN_MS = 1_500;
const INFRA_DOWN_MS = 2_000;
const BETWEEN_FAULTS_MS = 4_000;
const SELLING_AGAIN_TIMEOUT_MS = 30_000;

/**
 * SIGKILL each service in turn mid-flow and start it again; then restart NATS, then PostgreSQL,
 * each on the same port and data. The load runs throughout.
 */
export async function runFaultSchedule(t: FaultTargets): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  for (const service of t.services) {
    t.setPhase(`kill ${service.name}`);
    if (service.name.startsWith('post')) await t.postInFlight();
    const inFlight = t.inFlight();
    const at = Date.now();
    await service.kill('SIGKILL');
    t.log(`SIGKILL ${service.name}`);
    await sleep(DOWN_MS);
    service.start();
    const restartedAt = Date.now();
    const readyAfterMs = await service.waitReady();
    t.log(`${service.name} ready ${readyAfterMs} ms after restart`);
    const sellingAgainAfterMs = await sellingAgain(t, restartedAt);
    records.push({
      fault: `kill ${service.name}`,
      target: service.name,
      at,
      restartedAt,
      downMs: restartedAt - at,
      readyAfterMs,
      sellingAgainAfterMs,
      idleReplicas: [],
      inFlight,
    });
    await sleep(BETWEEN_FAULTS_MS);
  }
  for (const [name, server] of [
    ['nats', t.nats],
    ['postgres', t.postgres],
  ] as const) {
    t.setPhase(`restart ${name}`);
    const inFlight = t.inFlight();
    const at = Date.now();
    await server.stop();
    t.log(`${name} stopped`);
    await sleep(INFRA_DOWN_MS);
    await server.start();
    const restartedAt = Date.now();
    t.log(`${name} started again on ${server.url}`);
    // Nobody restarts the services: they must find the server again by themselves.
    const readyAfterMs = Math.max(...(await Promise.all(t.all.map((s) => s.waitReady()))));
    t.log(`every service ready ${readyAfterMs} ms after ${name} came back`);
    const before = await Promise.all(t.responders.map((r) => r.process.requestsServed()));
    const sellingAgainAfterMs = await sellingAgain(t, restartedAt);
    await sleep(BETWEEN_FAULTS_MS);
    const after = await Promise.all(t.responders.map((r) => r.process.requestsServed()));
    const idleReplicas = idleAfterRestart(t.responders, before, after);
    if (idleReplicas.length > 0) t.log(`!! after the ${name} restart, no request answered by ${idleReplicas.join(', ')}`);
    records.push({
      fault: `restart ${name}`,
      target: name,
      at,
      restartedAt,
      downMs: restartedAt - at,
      readyAfterMs,
      sellingAgainAfterMs,
      idleReplicas,
      inFlight,
    });
  }
  return records;
}

/** Readiness only says the process is up; a sale after the restart says every step works again. */
async function sellingAgain(t: FaultTargets, since: number): Promise<number | null> {
  while (Date.now() - since < SELLING_AGAIN_TIMEOUT_MS) {
    const soldAt = t.firstSaleSince(since);
    if (soldAt !== null) return soldAt - since;
    await sleep(100);
  }
  t.log(`!! no lead sent after ${new Date(since).toISOString()} was sold within ${SELLING_AGAIN_TIMEOUT_MS} ms`);
  return null;
}

/**
 * A replica that never came back to its queue group answers nothing while its sibling carries the
 * load. (A single replica that never came back stops the sales: `sellingAgain` catches that.)
 */
function idleAfterRestart(
  responders: FaultTargets['responders'],
  before: Array<number | null>,
  after: Array<number | null>,
): string[] {
  const served = responders.map((r, i) => ({ ...r, n: after[i] === null ? null : after[i]! - (before[i] ?? 0) }));
  return served
    .filter((r) => r.n === null || (r.n === 0 && served.some((o) => o.service === r.service && (o.n ?? 0) >= 10)))
    .map((r) => r.process.name);
}
