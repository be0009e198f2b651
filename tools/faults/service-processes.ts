import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sleep } from './private-servers';

const DIST = path.resolve(__dirname, '..', '..');
const ALIASES = path.join(DIST, 'tools', 'runtime-aliases.js');
const READY_TIMEOUT_MS = 45_000;

/** Children still running: killed if the suite exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A process that ended without the suite killing it: a bug to report with its log. */
export interface UnexpectedExit {
  name: string;
  code: number | null;
  signal: string | null;
  at: string;
  logTail: string;
}

/**
 * One built service (or buyer-sim) run from dist/ as its own process, as `npm start` runs it,
 * with its output in a log file. The suite SIGKILLs it and starts it again on the same port.
 */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private killedOnPurpose = false;

  constructor(
    readonly name: string,
    private readonly script: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    private readonly onUnexpectedExit: (exit: UnexpectedExit) => void,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): void {
    fs.appendFileSync(this.logFile, `\n--- ${new Date().toISOString()} start ${this.name}\n`);
    const fd = fs.openSync(this.logFile, 'a');
    try {
      this.killedOnPurpose = false;
      const child = spawn(process.execPath, ['-r', ALIASES, path.join(DIST, this.script)], {
        cwd: path.resolve(DIST, '..'),
        env: { ...process.env, ...this.env, HTTP_PORT: String(this.port), HTTP_HOST: '127.0.0.1' },
        stdio: ['ignore', fd, fd],
      });
      running.add(child);
      child.once('exit', (code, signal) => {
        running.delete(child);
        if (this.child === child) this.child = null;
        if (!this.killedOnPurpose) {
          this.onUnexpectedExit({ name: this.name, code, signal, at: new Date().toISOString(), logTail: this.logTail() });
        }
      });
      this.child = child;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** A crash: no shutdown hooks, connections cut mid-request. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.killedOnPurpose = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.appendFileSync(this.logFile, `\n--- ${new Date().toISOString()} ${signal} sent by the fault suite\n`);
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Waits for /health/ready (NATS and PostgreSQL reachable); returns the ms it took. */
  async waitReady(path = '/health/ready', timeoutMs = READY_TIMEOUT_MS): Promise<number> {
    const from = Date.now();
    while (Date.now() - from < timeoutMs) {
      const ok = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return Date.now() - from;
      await sleep(150);
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms; log ${this.logFile}:\n${this.logTail()}`);
  }

  /** NATS requests this process answered successfully so far (from its /metrics); null when unreadable. */
  async requestsServed(): Promise<number | null> {
    try {
      const text = await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(3_000) }).then((r) => r.text());
      return text
        .split('\n')
        .filter((line) => line.startsWith('pingtree_handler_duration_seconds_count{') && line.includes('code="OK"'))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    } catch {
      return null;
    }
  }

  logTail(chars = 3_000): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').slice(-chars);
    } catch {
      return '(no log)';
    }
  }
}
