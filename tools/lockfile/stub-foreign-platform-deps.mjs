// Adds lock entries for optional, other-platform binaries (nx, unrs-resolver) that the registry
// we install from does not serve, so `npm ci` accepts the lock and skips them by os/cpu.
// Run after `npm install` changes package-lock.json: `node tools/lockfile/stub-foreign-platform-deps.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony'];
const CPU = [
  ['arm64', /-arm64(-|$)/],
  ['x64', /-x64(-|$)/],
  ['ia32', /-ia32(-|$)/],
  ['arm', /-arm-(gnueabihf|eabi|musleabihf)/],
  ['loong64', /-loong64/],
  ['ppc64', /-ppc64/],
  ['riscv64', /-riscv64/],
  ['s390x', /-s390x/],
];

let added = 0;
for (const [path, meta] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`${path}/${key}`]) continue;
    const os = OS.find((o) => name.includes(`-${o}-`));
    const cpu = CPU.find(([, pattern]) => pattern.test(name))?.[0];
    if (!os || !cpu) continue;
    const entry = { version: version.replace(/^[\^~]/, ''), cpu: [cpu], os: [os], optional: true };
    if (/-musl/.test(name)) entry.libc = ['musl'];
    else if (/-gnu/.test(name) && os === 'linux') entry.libc = ['glibc'];
    lock.packages[key] = entry;
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n');
console.log(`stubbed ${added} foreign-platform optional dependencies`);
