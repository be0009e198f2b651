import {
  cipherFromEnv,
  hasPlainSecrets,
  isEnvelope,
  sealChannelSecrets,
  sealLeadField,
  type FieldCipher,
} from '@pingtree/crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const BATCH = 500;

/**
 * Per-supplier rate limits, and encryption at rest for what was stored before it: leads' contact
 * data and consent evidence, and buyer credentials in channel configs, are encrypted with the
 * first key of PINGTREE_ENCRYPTION_KEYS. The key is needed only when such rows exist.
 */
export class SecurityHardening1763971200000 implements MigrationInterface {
  name = 'SecurityHardening1763971200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE suppliers ADD COLUMN rate_limit_per_second integer CHECK (rate_limit_per_second > 0)`);
    await encryptStoredPlaintext(q);
  }

  /** Leaves encrypted data encrypted: decrypting needs the keys, and the columns hold either form. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE suppliers DROP COLUMN IF EXISTS rate_limit_per_second`);
  }
}

/** Encrypts contact data, consent evidence and channel secrets still stored in plain text; the key is read only if some are. */
export async function encryptStoredPlaintext(q: QueryRunner): Promise<void> {
  let cipher: FieldCipher | null = null;
  const keys = (): FieldCipher => {
    cipher ??= cipherFromEnv();
    return cipher;
  };
  await encryptLeads(q, keys);
  await encryptChannelSecrets(q, keys);
}

const PLAIN_LEADS = `SELECT id, contact, consent FROM leads
  WHERE NOT (contact ?& array['kid','iv','tag','data']) OR NOT (consent ?& array['kid','iv','tag','data'])
  ORDER BY id LIMIT ${BATCH}`;

async function encryptLeads(q: QueryRunner, keys: () => FieldCipher): Promise<void> {
  for (;;) {
    const rows = (await q.query(PLAIN_LEADS)) as Array<{ id: string; contact: unknown; consent: unknown }>;
    if (rows.length === 0) return;
    for (const r of rows) {
      const contact = isEnvelope(r.contact) ? r.contact : sealLeadField(keys(), r.id, 'contact', r.contact);
      const consent = isEnvelope(r.consent) ? r.consent : sealLeadField(keys(), r.id, 'consent', r.consent);
      await q.query(`UPDATE leads SET contact = $2, consent = $3 WHERE id = $1`, [
        r.id,
        JSON.stringify(contact),
        JSON.stringify(consent),
      ]);
    }
  }
}

async function encryptChannelSecrets(q: QueryRunner, keys: () => FieldCipher): Promise<void> {
  const rows = (await q.query(`SELECT id, config FROM channels`)) as Array<{ id: string; config: unknown }>;
  for (const r of rows.filter((row) => hasPlainSecrets(row.config))) {
    await q.query(`UPDATE channels SET config = $2 WHERE id = $1`, [r.id, JSON.stringify(sealChannelSecrets(r.config, keys()))]);
  }
}
