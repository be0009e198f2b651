import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * A hot-path statement that PostgreSQL parses and plans once per connection instead of on every
 * call (a named prepared statement): measured here at about a third less backend CPU for the
 * lead's insert and decision. Declare each once, at module level, with a unique name.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const declared = new Map<string, string>();

export function preparedStatement(name: string, text: string): PreparedStatement {
  // One name, one text: a connection refuses to prepare a known name again with other text.
  const known = declared.get(name);
  if (known !== undefined && known !== text) throw new Error(`prepared statement "${name}" is declared twice`);
  declared.set(name, text);
  return { name, text };
}

/**
 * Runs a prepared statement on the DataSource's own pool (TypeORM's `query` cannot name a
 * statement) and returns its rows, whatever the command.
 */
export async function runPrepared<Row>(ds: DataSource, statement: PreparedStatement, values: unknown[]): Promise<Row[]> {
  const pool = (ds.driver as unknown as { master: Pool }).master;
  const result = await pool.query({ name: statement.name, text: statement.text, values });
  return result.rows as Row[];
}
