import { maskChannelSecrets } from '@pingtree/crypto';
// Imported from its file, not '@pingtree/db': the CLI has no use for the database driver.
import { configDiff, type ConfigChange } from '../../libs/db/src/config-diff';
import type { AdminClient } from './admin-client';
import { KIND, nameOf, SCHEMAS, SECTIONS, type ConfigDocument, type Item, type Section } from './config-document';

export interface PlannedChange {
  section: Section;
  action: 'create' | 'update';
  name: string;
  /** The record's id; for a create, a placeholder replaced by the real id once it exists. */
  id: string;
  body: Record<string, unknown>;
  diff: ConfigChange[];
}

export interface Plan {
  changes: PlannedChange[];
  unchanged: number;
  /** Records on the server the file doesn't mention: apply leaves them as they are. */
  notInFile: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const placeholder = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function withoutId(item: Item): Record<string, unknown> {
  const { id: _id, ...rest } = item;
  return rest;
}

/** What a diff may print: channel credentials masked on both sides, a credential given in the file noted. */
function shown(section: Section, config: unknown): unknown {
  return section === 'channels' ? maskChannelSecrets(config) : config;
}

/**
 * Compares the file with the server: what would be created or updated, with the diff of each.
 * Names may stand for ids in references (a channel's buyerId, a tier's channelIds, a campaign's
 * treeId), including records the file creates. Every record is validated with the contract
 * schema the API uses; any problem refuses the whole file.
 */
export function makePlan(file: ConfigDocument, server: ConfigDocument): { plan: Plan } | { problems: string[] } {
  const problems: string[] = [];
  const serverById = new Map(SECTIONS.map((s) => [s, new Map(server[s].map((item) => [item.id!, item]))]));
  const ids = new Map<Section, Map<string, string[]>>(SECTIONS.map((s) => [s, new Map()]));
  const remember = (s: Section, name: string, id: string) => {
    const known = ids.get(s)!.get(name) ?? [];
    if (!known.includes(id)) ids.get(s)!.set(name, [...known, id]);
  };
  const inFile = new Set<string>();
  let created = 0;
  const fileIds = new Map<Section, string[]>();
  for (const s of SECTIONS) {
    fileIds.set(
      s,
      file[s].map((item, i) => {
        if (item.id && !serverById.get(s)!.has(item.id.toLowerCase())) {
          problems.push(
            `${s}[${i}] "${nameOf(s, item)}": no ${KIND[s]} ${item.id} on the server (leave the id out to create one)`,
          );
        }
        const id = item.id?.toLowerCase() ?? placeholder(++created);
        inFile.add(id);
        return id;
      }),
    );
  }
  // The file's own names win over the server's: a renamed record is referred to by its new name.
  for (const s of SECTIONS) for (const item of server[s]) if (!inFile.has(item.id!)) remember(s, nameOf(s, item), item.id!);
  for (const s of SECTIONS) file[s].forEach((item, i) => remember(s, nameOf(s, item), fileIds.get(s)![i]!));

  const resolve = (s: Section, value: unknown, where: string): unknown => {
    if (typeof value !== 'string' || UUID.test(value)) return value;
    const matches = ids.get(s)!.get(value) ?? [];
    if (matches.length === 1) return matches[0];
    problems.push(
      `${where}: ${matches.length === 0 ? `no ${KIND[s]} named "${value}"` : `${matches.length} ${s} are named "${value}": use the id`}`,
    );
    return value;
  };

  const changes: PlannedChange[] = [];
  let unchanged = 0;
  for (const s of SECTIONS) {
    file[s].forEach((item, i) => {
      const where = `${s}[${i}] "${nameOf(s, item)}"`;
      const config = structuredClone(withoutId(item));
      if (s === 'channels') config['buyerId'] = resolve('buyers', config['buyerId'], `${where}: buyerId`);
      if (s === 'campaigns') config['treeId'] = resolve('trees', config['treeId'], `${where}: treeId`);
      if (s === 'trees' && Array.isArray(config['tiers'])) {
        (config['tiers'] as Array<Record<string, unknown>>).forEach((tier, j) => {
          if (Array.isArray(tier['channelIds'])) {
            tier['channelIds'] = tier['channelIds'].map((c: unknown, k) =>
              resolve('channels', c, `${where}: tiers.${j}.channelIds.${k}`),
            );
          }
        });
      }
      const parsed = SCHEMAS[s].safeParse(config);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          problems.push(`${where}: ${issue.path.join('.') || '(record)'}: ${issue.message}`);
        return;
      }
      const body = parsed.data as Record<string, unknown>;
      const id = fileIds.get(s)![i]!;
      const current = serverById.get(s)!.get(id);
      if (!current) {
        changes.push({ section: s, action: 'create', name: nameOf(s, item), id, body, diff: configDiff({}, shown(s, body)) });
        return;
      }
      const before = SCHEMAS[s].safeParse(withoutId(current));
      const diff = configDiff(shown(s, before.success ? before.data : withoutId(current)), shown(s, body));
      if (s === 'channels' && JSON.stringify(maskChannelSecrets(body)) !== JSON.stringify(body)) {
        diff.push({ path: '(credentials)', after: 'the ones written in the file' });
      }
      if (diff.length === 0) unchanged++;
      else changes.push({ section: s, action: 'update', name: nameOf(s, item), id, body, diff });
    });
  }
  if (problems.length > 0) return { problems };
  const notInFile = SECTIONS.flatMap((s) =>
    server[s].filter((item) => !inFile.has(item.id!)).map((item) => `${KIND[s]} "${nameOf(s, item)}"`),
  );
  return { plan: { changes, unchanged, notInFile } };
}

const value = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const c of plan.changes) {
    lines.push(
      `${c.action === 'create' ? '+ create' : '~ update'} ${KIND[c.section]} "${c.name}"${c.action === 'update' ? ` (${c.id})` : ''}`,
    );
    if (c.action === 'update') for (const d of c.diff) lines.push(`    ${d.path}: ${value(d.before)} → ${value(d.after)}`);
  }
  lines.push(`${plan.changes.length} change(s), ${plan.unchanged} unchanged.`);
  if (plan.notInFile.length > 0) lines.push(`Not in the file, left as they are: ${plan.notInFile.join(', ')}.`);
  return lines.join('\n');
}

function replaceIds(value: unknown, created: Map<string, string>): unknown {
  if (typeof value === 'string') return created.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => replaceIds(v, created));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIds(v, created)]));
  }
  return value;
}

/** Applies the changes in dependency order (buyers, channels, trees, campaigns); stops at the first refusal. */
export async function applyPlan(client: AdminClient, plan: Plan, log: (line: string) => void): Promise<void> {
  const created = new Map<string, string>();
  for (const c of plan.changes) {
    const body = replaceIds(c.body, created);
    if (c.action === 'create') {
      const res = await client.request<{ id: string }>('POST', `/v1/admin/${c.section}`, body);
      created.set(c.id, res.id);
      log(`created ${KIND[c.section]} "${c.name}" (${res.id})`);
    } else {
      await client.request('PUT', `/v1/admin/${c.section}/${c.id}`, body);
      log(`updated ${KIND[c.section]} "${c.name}"`);
    }
  }
}
