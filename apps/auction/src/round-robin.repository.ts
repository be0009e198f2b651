import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The turn counter for a round-robin tier, shared by every auction replica through PostgreSQL. */
@Injectable()
export class RoundRobinRepository {
  constructor(private readonly ds: DataSource) {}

  async nextTurn(treeId: string, tierIndex: number): Promise<number> {
    const [row] = (await this.ds.query(
      `INSERT INTO round_robin_cursors (tree_id, tier_index, position) VALUES ($1, $2, 0)
       ON CONFLICT (tree_id, tier_index) DO UPDATE SET position = round_robin_cursors.position + 1
       RETURNING position::int AS position`,
      [treeId, tierIndex],
    )) as Array<{ position: number }>;
    return row!.position;
  }
}
