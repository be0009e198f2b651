import type { BenchFlags } from './flags';
import type { Stack } from './own-stack';

/** `npm start` puts the other services at the gateway's port + 101 + their index. */
const NPM_START_OFFSETS: Array<[string, number]> = [
  ['filter', 101],
  ['ping', 102],
  ['auction', 103],
  ['post', 104],
  ['audit', 105],
];

/** A stack someone else runs (`--url`): nothing to start or stop; /metrics from --metrics or the npm start ports. */
export function runningStack(flags: BenchFlags): Stack {
  const gatewayUrls = flags.url!.split(',').map((u) => u.trim().replace(/\/+$/, ''));
  return {
    gatewayUrls,
    simUrl: flags.simUrl.replace(/\/+$/, ''),
    adminKey: flags.adminKey,
    services: flags.metrics ? parseMetricsFlag(flags.metrics) : npmStartServices(gatewayUrls),
    close: () => Promise.resolve(),
  };
}

function parseMetricsFlag(value: string): Stack['services'] {
  return value.split(',').map((entry, i) => {
    const eq = entry.indexOf('=');
    if (eq < 1) throw new Error(`--metrics entry ${JSON.stringify(entry)}: use name=url`);
    const name = entry.slice(0, eq).trim();
    const group = name.split('#')[0]!;
    return {
      name: name.includes('#') ? name : `${name}#${i + 1}`,
      group,
      url: entry
        .slice(eq + 1)
        .trim()
        .replace(/\/+$/, ''),
    };
  });
}

function npmStartServices(gatewayUrls: string[]): Stack['services'] {
  const first = new URL(gatewayUrls[0]!);
  const port = Number(first.port || 80);
  const host = `${first.protocol}//${first.hostname}`;
  return [
    ...NPM_START_OFFSETS.map(([group, offset]) => ({ name: `${group}#1`, group, url: `${host}:${port + offset}` })),
    ...gatewayUrls.map((url, i) => ({ name: `gateway#${i + 1}`, group: 'gateway', url })),
  ];
}
