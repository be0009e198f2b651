import fs from 'node:fs';
import path from 'node:path';

/** The parts of a V8 .cpuprofile we read. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  what: string;
  /** Share of the process's busy samples (idle excluded), percent. */
  percent: number;
}

export interface ProfileSummary {
  file: string;
  seconds: number;
  /** Share of samples the process was idle, percent: the headroom left. */
  idlePercent: number;
  /** Time spent in the function itself. */
  selfByFunction: HotSpot[];
  /** Self time per package (node_modules), our file, or V8/Node internal. */
  selfByPlace: HotSpot[];
  /** Time in our own functions including what they call: where to start cutting. */
  totalByOwnFunction: HotSpot[];
  /** For the heaviest self-time frames outside any package (e.g. `writev`): which package or file called them. */
  callersOfTopFrames: Array<{ frame: string; percent: number; callers: HotSpot[] }>;
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const place = new Map<string, number>();
  const total = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const id of profile.samples) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idle++;
      continue;
    }
    busy++;
    add(self, frameKey(node.callFrame));
    add(place, placeOf(node.callFrame));
    // Count each own function once per sample, however deep the recursion.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (!isOwnCode(frame.url)) continue;
      const key = frameKey(frame);
      if (!seen.has(key)) {
        seen.add(key);
        add(total, key);
      }
    }
  }
  // Second pass: who calls the heaviest frames that belong to no package (native writes, GC, microtasks).
  const rankedSelf = [...self.entries()].sort((a, b) => b[1] - a[1]);
  const anonymous = rankedSelf.filter(([key]) => !key.includes(' ')).slice(0, 4);
  const callers = new Map<string, Map<string, number>>(anonymous.map(([key]) => [key, new Map()]));
  for (const id of profile.samples) {
    const node = byId.get(id)!;
    const byCaller = callers.get(frameKey(node.callFrame));
    if (!byCaller) continue;
    let cur = parent.get(id);
    while (cur !== undefined && !isAttributable(byId.get(cur)!.callFrame.url)) cur = parent.get(cur);
    const frame = cur === undefined ? undefined : byId.get(cur)!.callFrame;
    add(byCaller, frame ? `${placeOf(frame)} ${frame.functionName || '(anonymous)'}` : '(no package on the stack)');
  }
  const ranked = (m: Map<string, number>): HotSpot[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([what, count]) => ({ what, percent: Math.round((count / Math.max(1, busy)) * 1000) / 10 }));
  return {
    file,
    seconds: Math.round((profile.endTime - profile.startTime) / 1e4) / 100,
    idlePercent: Math.round((idle / Math.max(1, idle + busy)) * 1000) / 10,
    selfByFunction: ranked(self),
    selfByPlace: ranked(place),
    totalByOwnFunction: ranked(total),
    callersOfTopFrames: anonymous.map(([frame, count]) => {
      const byCaller = callers.get(frame)!;
      return {
        frame,
        percent: Math.round((count / Math.max(1, busy)) * 1000) / 10,
        callers: [...byCaller.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([what, n]) => ({ what, percent: Math.round((n / count) * 1000) / 10 })),
      };
    }),
  };
}

export function formatProfileSummary(s: ProfileSummary): string {
  const table = (title: string, rows: HotSpot[]) =>
    [`  ${title}`, ...rows.map((r) => `    ${r.percent.toFixed(1).padStart(5)}%  ${r.what}`)].join('\n');
  return [
    `CPU profile ${path.relative(process.cwd(), s.file)} (${s.seconds} s, idle ${s.idlePercent}%; shares are of busy time)`,
    table('self time by function', s.selfByFunction),
    table('self time by package / file', s.selfByPlace),
    table('total time by our own function (incl. callees)', s.totalByOwnFunction),
    ...s.callersOfTopFrames.map((c) =>
      table(`${c.frame} (${c.percent}% of busy time) is called from (share of its samples)`, c.callers),
    ),
  ].join('\n');
}

function add(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function frameKey(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (SPECIAL.has(name) || !frame.url) return name;
  return `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

/** A package name, our file, or `node:<module>`. */
function placeOf(frame: CpuProfile['nodes'][number]['callFrame']): string {
  if (!frame.url) return frame.functionName || '(native)';
  const nm = frame.url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const parts = frame.url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (frame.url.startsWith('node:')) return frame.url.split('/').slice(0, 2).join('/');
  return shortUrl(frame.url);
}

/** A frame in a package or in our code, as opposed to Node internals and native code. */
function isAttributable(url: string): boolean {
  return url.includes('node_modules/') || url.includes('/dist/');
}

function isOwnCode(url: string): boolean {
  return url.includes('/dist/apps/') || url.includes('/dist/libs/');
}

function shortUrl(url: string): string {
  const dist = url.indexOf('/dist/');
  if (dist !== -1) return url.slice(dist + '/dist/'.length);
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) return url.slice(nm + 'node_modules/'.length);
  return url.replace(/^file:\/\//, '');
}

// `node dist/bench/profile-summary.js <file.cpuprofile> [top]` re-reads a saved profile.
if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile-summary.js <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(formatProfileSummary(summarizeProfile(file, Number(top ?? 15))) + '\n');
}
