import { Injectable } from '@nestjs/common';
import { PingtreeError } from '@pingtree/contracts';
import type { SuppressionScope } from '@pingtree/db';
import { DataSource, QueryFailedError } from 'typeorm';

/** Rows per INSERT: one statement per batch keeps a 100k-row upload to 100 round trips. */
export const INSERT_BATCH = 1000;

export interface SuppressionList {
  id: string;
  name: string;
  kind: string;
  scope: SuppressionScope;
  campaignId: string | null;
  buyerId: string | null;
  entries: number;
  createdAt: string;
}

export interface NewSuppressionList {
  name: string;
  kind: string;
  scope: SuppressionScope;
  campaignId?: string | undefined;
  buyerId?: string | undefined;
}

const pgCode = (error: unknown) =>
  error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : {};

const taken = (name: string) =>
  new PingtreeError('CONFLICT', `a suppression list named "${name}" exists`, [{ field: 'name', message: 'is already taken' }]);

const missing = (field: 'campaignId' | 'buyerId') =>
  new PingtreeError('VALIDATION_FAILED', 'suppression list failed validation', [
    { field, message: `no ${field === 'buyerId' ? 'buyer' : 'campaign'} with this id` },
  ]);

/** Suppression lists and their hashed entries. Lists are data, read per lead by the filter, not cached config. */
@Injectable()
export class SuppressionListRepository {
  constructor(private readonly ds: DataSource) {}

  async create(list: NewSuppressionList): Promise<SuppressionList> {
    await this.checkReferences(list);
    try {
      const [row] = (await this.ds.query(
        `INSERT INTO suppression_lists (name, kind, scope, campaign_id, buyer_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [list.name, list.kind, list.scope, list.campaignId ?? null, list.buyerId ?? null],
      )) as Array<{ id: string }>;
      return (await this.get(row!.id))!;
    } catch (error) {
      const { code, constraint } = pgCode(error);
      if (code === '23505') throw taken(list.name);
      if (code === '23503') throw missing(constraint?.includes('buyer') ? 'buyerId' : 'campaignId');
      throw error;
    }
  }

  /** Refuses a taken name or a missing campaign or buyer up front; the constraints still catch a race. */
  private async checkReferences(list: NewSuppressionList): Promise<void> {
    const [found] = (await this.ds.query(
      `SELECT EXISTS (SELECT 1 FROM suppression_lists WHERE name = $1) AS taken,
              ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM campaigns WHERE id = $2)) AS campaign,
              ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM buyers WHERE id = $3)) AS buyer`,
      [list.name, list.campaignId ?? null, list.buyerId ?? null],
    )) as Array<{ taken: boolean; campaign: boolean; buyer: boolean }>;
    if (found!.taken) throw taken(list.name);
    if (!found!.campaign) throw missing('campaignId');
    if (!found!.buyer) throw missing('buyerId');
  }

  async list(): Promise<SuppressionList[]> {
    return this.select('');
  }

  async get(id: string): Promise<SuppressionList | null> {
    return (await this.select('WHERE l.id = $1', [id]))[0] ?? null;
  }

  async delete(id: string): Promise<boolean> {
    const rows = (await this.ds.query(`DELETE FROM suppression_lists WHERE id = $1 RETURNING id`, [id])) as [unknown[], number];
    return rows[1] > 0;
  }

  /**
   * Adds hashes in batches of INSERT_BATCH, one statement each, all in one transaction (an upload
   * lands whole or not at all). Returns how many were new to the list.
   */
  async addEntries(listId: string, keys: string[]): Promise<number> {
    return this.ds.transaction(async (m) => {
      const [list] = (await m.query(`SELECT id FROM suppression_lists WHERE id = $1 FOR SHARE`, [listId])) as unknown[];
      if (!list) throw new PingtreeError('NOT_FOUND', `suppression list ${listId} not found`);
      let added = 0;
      for (let i = 0; i < keys.length; i += INSERT_BATCH) {
        const inserted = (await m.query(
          `INSERT INTO suppression_entries (key_hash, list_id) SELECT unnest($1::text[]), $2
           ON CONFLICT DO NOTHING RETURNING 1`,
          [keys.slice(i, i + INSERT_BATCH), listId],
        )) as unknown[];
        added += inserted.length;
      }
      return added;
    });
  }

  private async select(where: string, params: unknown[] = []): Promise<SuppressionList[]> {
    const rows = (await this.ds.query(
      `SELECT l.id, l.name, l.kind, l.scope, l.campaign_id, l.buyer_id, l.created_at,
              (SELECT count(*) FROM suppression_entries e WHERE e.list_id = l.id)::int AS entries
       FROM suppression_lists l ${where} ORDER BY l.created_at, l.id`,
      params,
    )) as Array<{
      id: string;
      name: string;
      kind: string;
      scope: SuppressionScope;
      campaign_id: string | null;
      buyer_id: string | null;
      created_at: Date;
      entries: number;
    }>;
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      scope: r.scope,
      campaignId: r.campaign_id,
      buyerId: r.buyer_id,
      entries: r.entries,
      createdAt: r.created_at.toISOString(),
    }));
  }
}
