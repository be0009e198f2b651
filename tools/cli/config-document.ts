import { buyerConfigSchema, campaignConfigSchema, channelConfigSchema, treeConfigSchema } from '@pingtree/contracts';
import { Document, isScalar, parse } from 'yaml';
import { z } from 'zod';
import type { AdminClient } from './admin-client';

/** The configuration as code: what `export` writes and `apply` reads. Channel credentials stay masked. */
export const SECTIONS = ['buyers', 'channels', 'trees', 'campaigns'] as const;
export type Section = (typeof SECTIONS)[number];

/** Singular, for messages. */
export const KIND: Record<Section, string> = { buyers: 'buyer', channels: 'channel', trees: 'tree', campaigns: 'campaign' };

export const SCHEMAS = {
  buyers: buyerConfigSchema,
  channels: channelConfigSchema,
  trees: treeConfigSchema,
  campaigns: campaignConfigSchema,
} as const;

export type Item = Record<string, unknown> & { id?: string };
export type ConfigDocument = Record<Section, Item[]>;

const itemSchema = z.looseObject({ id: z.uuid('id must be a UUID (leave it out to create a new record)').optional() });
const documentSchema = z.strictObject(
  Object.fromEntries(SECTIONS.map((s) => [s, z.array(itemSchema).default([])])) as Record<
    Section,
    z.ZodDefault<z.ZodArray<typeof itemSchema>>
  >,
);

/** The server's configuration, in the document's shape. */
export async function readServer(client: AdminClient): Promise<ConfigDocument> {
  const [buyers, channels, trees, campaigns] = await Promise.all(SECTIONS.map((s) => client.list<Item>(s)));
  return { buyers: buyers!, channels: channels!, trees: trees!, campaigns: campaigns! };
}

/** The name a record is referred to by in messages and name references (campaigns by key). */
export function nameOf(section: Section, item: Item): string {
  return String(section === 'campaigns' ? item['key'] : item['name']);
}

/**
 * YAML with a comment naming each referenced id, so a reader sees which channel a tree lists
 * (ids can also be replaced by names when editing; see resolveReferences).
 */
export function toYaml(config: ConfigDocument, serverUrl: string): string {
  const doc = new Document(config);
  doc.commentBefore = [
    ` pingtree configuration exported from ${serverUrl} at ${new Date().toISOString()}`,
    ' Apply with: npm run pingtree -- apply -f <this file>',
    ' Channel credentials are masked as "********": sent back unchanged, the stored ones are kept.',
    ' A record without an id is created; references (buyerId, channelIds, treeId) may be ids or names.',
  ].join('\n');
  const names = new Map<string, string>();
  for (const s of SECTIONS) for (const item of config[s]) if (item.id) names.set(item.id, nameOf(s, item));
  const note = (path: Array<string | number>) => {
    const node = doc.getIn(path, true);
    if (isScalar(node) && typeof node.value === 'string' && names.has(node.value)) node.comment = ` ${names.get(node.value)}`;
  };
  config.channels.forEach((_, i) => note(['channels', i, 'buyerId']));
  config.trees.forEach((tree, i) =>
    (tree['tiers'] as Array<{ channelIds: string[] }>).forEach((tier, j) =>
      tier.channelIds.forEach((_, k) => note(['trees', i, 'tiers', j, 'channelIds', k])),
    ),
  );
  config.campaigns.forEach((_, i) => note(['campaigns', i, 'treeId']));
  return doc.toString({ lineWidth: 0 });
}

/** Reads a YAML file into the document's shape; a reason for each problem otherwise. */
export function parseDocument(text: string): { doc: ConfigDocument } | { problems: string[] } {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    return { problems: [`not valid YAML: ${(error as Error).message}`] };
  }
  const parsed = documentSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`) };
  }
  return { doc: parsed.data as ConfigDocument };
}
