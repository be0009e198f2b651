import { maskChannelSecrets, SECRET_MASK } from '@pingtree/crypto';
import type { DataSource } from 'typeorm';
import { configDiff, type ConfigChange } from './config-diff';

/** What is versioned: the routing (trees) and the buyers' endpoints (channels). */
export const VERSIONED_KINDS = ['tree', 'channel'] as const;
export type VersionedKind = (typeof VERSIONED_KINDS)[number];

export interface ConfigVersion {
  kind: VersionedKind;
  entityId: string;
  version: number;
  author: string;
  note: string | null;
  createdAt: string;
  config: Record<string, unknown>;
}

/** A version with what changed since the one before it (everything, for version 1). */
export interface ConfigVersionWithDiff extends ConfigVersion {
  diff: ConfigChange[];
}

/** Author of versions for changes made outside the admin API (demo seed, scripts, tests). */
export const SYSTEM_AUTHOR = 'system';

/** Serialises version recording across gateway replicas (any constant; this one spells "cfgv"). */
const VERSION_LOCK = 0x63666776;

interface VersionRow {
  entity_type: VersionedKind;
  entity_id: string;
  version: number;
  author: string;
  note: string | null;
  created_at: Date;
  config: Record<string, unknown>;
}

function toVersion(r: VersionRow): ConfigVersion {
  return {
    kind: r.entity_type,
    entityId: r.entity_id,
    version: r.version,
    author: r.author,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    config: r.config,
  };
}

/**
 * Version history of trees and channels. Recording compares each stored configuration with its
 * latest version and adds a version where they differ, so it needs no knowledge of which write
 * happened: the admin API records after every write, and once before it (as `system`) so that
 * changes made around the API are not credited to the next admin.
 */
export class ConfigVersions {
  constructor(private readonly ds: DataSource) {}

  /** Adds a version for every tree and channel changed since its latest version; returns them. */
  async record(author: string, note: string | null = null): Promise<Array<Pick<ConfigVersion, 'kind' | 'entityId' | 'version'>>> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [VERSION_LOCK]);
      const rows = (await m.query(
        `INSERT INTO config_versions (entity_type, entity_id, version, author, note, config)
         SELECT s.kind, s.id, COALESCE(v.version, 0) + 1, $1, $2, s.config
           FROM (SELECT 'tree' AS kind, id, config FROM trees UNION ALL SELECT 'channel', id, config FROM channels) s
           LEFT JOIN LATERAL (
             SELECT version, config FROM config_versions cv
              WHERE cv.entity_type = s.kind AND cv.entity_id = s.id
              ORDER BY version DESC LIMIT 1) v ON true
          WHERE v.config IS DISTINCT FROM s.config
         RETURNING entity_type, entity_id, version`,
        [author, note],
      )) as Array<Pick<VersionRow, 'entity_type' | 'entity_id' | 'version'>>;
      return rows.map((r) => ({ kind: r.entity_type, entityId: r.entity_id, version: r.version }));
    });
  }

  /**
   * Newest first, each with its diff against the version before it. Channel credentials are shown
   * as the admin API shows them (masked); a changed credential reads as a change of its mask.
   */
  async list(kind: VersionedKind, entityId: string): Promise<ConfigVersionWithDiff[]> {
    const rows = (await this.ds.query(
      `SELECT entity_type, entity_id, version, author, note, created_at, config
         FROM config_versions WHERE entity_type = $1 AND entity_id = $2 ORDER BY version ASC`,
      [kind, entityId],
    )) as VersionRow[];
    const stored = rows.map(toVersion);
    const shown = stored.map((v) => (kind === 'channel' ? { ...v, config: maskChannelSecrets(v.config) } : v));
    return shown
      .map((v, i) => {
        const before = i === 0 ? {} : shown[i - 1]!.config;
        const diff = configDiff(before, v.config);
        if (i > 0 && kind === 'channel') diff.push(...secretChanges(stored[i - 1]!.config, stored[i]!.config, v.config, diff));
        return { ...v, diff };
      })
      .reverse();
  }

  /** A version as stored (channel credentials encrypted): what a rollback saves again. */
  async get(kind: VersionedKind, entityId: string, version: number): Promise<ConfigVersion | null> {
    const rows = (await this.ds.query(
      `SELECT entity_type, entity_id, version, author, note, created_at, config
         FROM config_versions WHERE entity_type = $1 AND entity_id = $2 AND version = $3`,
      [kind, entityId, version],
    )) as VersionRow[];
    return rows[0] ? toVersion(rows[0]) : null;
  }

  /** The latest version number of every record of a kind: what the catalog would label its snapshot with. */
  async latest(kind: VersionedKind): Promise<Map<string, number>> {
    const rows = (await this.ds.query(
      `SELECT entity_id, max(version)::int AS version FROM config_versions WHERE entity_type = $1 GROUP BY entity_id`,
      [kind],
    )) as Array<{ entity_id: string; version: number }>;
    return new Map(rows.map((r) => [r.entity_id, r.version]));
  }
}

/** Credentials that changed between two stored channel configs, named by the path of their mask. */
function secretChanges(before: unknown, after: unknown, masked: unknown, shown: ConfigChange[]): ConfigChange[] {
  const paths = new Set<string>();
  for (const change of configDiff(before, after)) {
    const parts = change.path.split('.');
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n);
      if (readPath(masked, prefix) === SECRET_MASK) {
        paths.add(prefix.join('.'));
        break;
      }
    }
  }
  const listed = new Set(shown.map((c) => c.path));
  return [...paths]
    .filter((p) => !listed.has(p))
    .map((path) => ({ path, before: SECRET_MASK, after: `${SECRET_MASK} (changed)` }));
}

function readPath(value: unknown, path: string[]): unknown {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || !Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}
