import {
  isEnvelope,
  openLeadField,
  resealChannelSecrets,
  sealLeadField,
  type EncryptedLeadColumn,
  type FieldCipher,
} from '@pingtree/crypto';
import type { Client } from 'pg';

/** Per table: rows read, rows re-sealed, rows skipped because they changed while being re-sealed. */
export interface ReencryptCount {
  read: number;
  resealed: number;
  changedMeanwhile: number;
}

export interface ReencryptReport {
  keyId: string;
  leads: ReencryptCount;
  channels: ReencryptCount;
  channelVersions: ReencryptCount;
}

const BATCH = 500;

const count = (): ReencryptCount => ({ read: 0, resealed: 0, changedMeanwhile: 0 });
const current = (cipher: FieldCipher, value: unknown) => isEnvelope(value) && value.kid === cipher.currentKeyId;

/**
 * Re-seals everything encrypted at rest under the current (first) key, so older keys can be taken
 * out of PINGTREE_ENCRYPTION_KEYS: leads' contact data and consent, channels' buyer secrets and the
 * channel versions that hold them. Values stored before encryption was turned on are sealed too.
 * Safe while the platform runs: each row is updated only if it still holds what was read, in
 * batches by primary key; running it again finds nothing left to do. `dryRun` only counts.
 */
export async function reencrypt(db: Client, cipher: FieldCipher, dryRun = false): Promise<ReencryptReport> {
  return {
    keyId: cipher.currentKeyId,
    leads: await reencryptLeads(db, cipher, dryRun),
    channels: await reencryptRows(
      db,
      cipher,
      dryRun,
      `SELECT id::text AS key, config FROM channels`,
      `UPDATE channels SET config = $2 WHERE id = $1 AND config = $3`,
    ),
    channelVersions: await reencryptRows(
      db,
      cipher,
      dryRun,
      `SELECT entity_id::text || ':' || version AS key, config FROM config_versions WHERE entity_type = 'channel'`,
      `UPDATE config_versions SET config = $2
       WHERE entity_type = 'channel' AND entity_id::text || ':' || version = $1 AND config = $3`,
    ),
  };
}

async function reencryptLeads(db: Client, cipher: FieldCipher, dryRun: boolean): Promise<ReencryptCount> {
  const n = count();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await db.query<{ id: string; contact: unknown; consent: unknown }>(
      `SELECT id::text, contact, consent FROM leads
       WHERE id > $1 AND (contact->>'kid' IS DISTINCT FROM $2 OR consent->>'kid' IS DISTINCT FROM $2)
       ORDER BY id LIMIT ${BATCH}`,
      [after, cipher.currentKeyId],
    );
    if (rows.length === 0) return n;
    after = rows[rows.length - 1]!.id;
    for (const row of rows) {
      n.read++;
      const reseal = (column: EncryptedLeadColumn, stored: unknown) =>
        current(cipher, stored) ? stored : sealLeadField(cipher, row.id, column, openLeadField(cipher, row.id, column, stored));
      const contact = reseal('contact', row.contact);
      const consent = reseal('consent', row.consent);
      if (dryRun) {
        n.resealed++;
        continue;
      }
      const updated = await db.query(
        `UPDATE leads SET contact = $2, consent = $3 WHERE id = $1 AND contact = $4 AND consent = $5`,
        [row.id, JSON.stringify(contact), JSON.stringify(consent), JSON.stringify(row.contact), JSON.stringify(row.consent)],
      );
      if (updated.rowCount === 1) n.resealed++;
      else n.changedMeanwhile++;
    }
  }
}

/** Channel configs (few rows): read whole, each re-sealed where a secret is not under the current key. */
async function reencryptRows(
  db: Client,
  cipher: FieldCipher,
  dryRun: boolean,
  select: string,
  update: string,
): Promise<ReencryptCount> {
  const n = count();
  const { rows } = await db.query<{ key: string; config: unknown }>(select);
  for (const row of rows) {
    n.read++;
    const resealed = resealChannelSecrets(row.config, cipher);
    if (JSON.stringify(resealed) === JSON.stringify(row.config)) continue;
    if (dryRun) {
      n.resealed++;
      continue;
    }
    const updated = await db.query(update, [row.key, JSON.stringify(resealed), JSON.stringify(row.config)]);
    if (updated.rowCount === 1) n.resealed++;
    else n.changedMeanwhile++;
  }
  return n;
}
