import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The lead's identity hashes on its row: the post service records per-buyer sales from them. */
@Injectable()
export class LeadKeysRepository {
  constructor(private readonly ds: DataSource) {}

  /** Stores the hashes and returns the lead's supplier (null if the row is missing). */
  async store(leadId: string, keys: string[]): Promise<string | null> {
    const rows = (await this.ds.query(`UPDATE leads SET dedupe_key_hashes = $2::text[] WHERE id = $1 RETURNING supplier_id`, [
      leadId,
      [...new Set(keys)].sort(),
    ])) as [Array<{ supplier_id: string }>, number];
    return rows[0][0]?.supplier_id ?? null;
  }
}
