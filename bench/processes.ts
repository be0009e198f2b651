import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * Node processes the bench starts from dist/, the way `npm start` runs them: one process per service
 * replica, `-r dist/tools/runtime-aliases.js`. Output goes to a log file, not through the bench's own
 * event loop, so logging costs the bench nothing while it measures.
 */
export const ROOT = path.resolve(__dirname, '..', '..');
export const DIST = path.join(ROOT, 'dist');

export interface BenchProcess {
  /** e.g. `gateway#1`. */
  name: string;
  /** e.g. `gateway`; replicas share it. */
  group: string;
  pid: number;
  /** Base URL of its HTTP listener. */
  url: string;
  logFile: string;
  child: ChildProcess;
}

export interface SpawnSpec {
  name: string;
  group: string;
  /** Script under dist/, e.g. `apps/ping/src/main.js`. */
  script: string;
  port: number;
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** Extra node flags before the script, e.g. a `-r` preload. */
  nodeArgs?: string[];
}

export function spawnNode(spec: SpawnSpec): BenchProcess {
  fs.mkdirSync(spec.logDir, { recursive: true });
  const logFile = path.join(spec.logDir, `${spec.name.replace('#', '-')}.log`);
  const fd = fs.openSync(logFile, 'a');
  try {
    const child = spawn(
      process.execPath,
      [...(spec.nodeArgs ?? []), '-r', path.join(DIST, 'tools', 'runtime-aliases.js'), path.join(DIST, spec.script)],
      { cwd: ROOT, env: { ...process.env, ...spec.env }, stdio: ['ignore', fd, fd] },
    );
    if (child.pid === undefined) throw new Error(`could not start ${spec.name}`);
    return { name: spec.name, group: spec.group, pid: child.pid, url: `http://127.0.0.1:${spec.port}`, logFile, child };
  } finally {
    fs.closeSync(fd); // the child holds its own copy
  }
}

/** Resolves when GET url answers 2xx; fails early if the process exits. */
export async function waitForHttp(proc: BenchProcess, urlPath: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${proc.name} exited while starting; see ${proc.logFile}:\n${tail(proc.logFile)}`);
    }
    const ok = await fetch(proc.url + urlPath).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${proc.name} not ready at ${proc.url}${urlPath} within ${timeoutMs} ms; see ${proc.logFile}`);
}

/** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
export async function stopProcess(proc: BenchProcess, graceMs = 5_000): Promise<void> {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tail(file: string, bytes = 2_000): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-bytes);
  } catch {
    return '(no log)';
  }
}
