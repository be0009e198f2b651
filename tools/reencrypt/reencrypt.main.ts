import { cipherFromEnv } from '@pingtree/crypto';
import { Client } from 'pg';
import { reencrypt } from './reencrypt';

/**
 * `npm run reencrypt [-- --dry-run]`: after putting a new key first in PINGTREE_ENCRYPTION_KEYS,
 * re-seals what older keys encrypted in DATABASE_URL; then the old keys can be removed.
 */
async function main(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set');
  const dryRun = process.argv.includes('--dry-run');
  const cipher = cipherFromEnv();
  const db = new Client({ connectionString: url, application_name: 'pingtree-reencrypt' });
  await db.connect();
  try {
    const report = await reencrypt(db, cipher, dryRun);
    const line = (name: string, c: { read: number; resealed: number; changedMeanwhile: number }) =>
      `  ${name.padEnd(17)} ${c.resealed} ${dryRun ? 'to re-seal' : 're-sealed'} of ${c.read} read${c.changedMeanwhile ? `, ${c.changedMeanwhile} changed meanwhile (run again)` : ''}\n`;
    process.stdout.write(
      `${dryRun ? 'dry run: ' : ''}sealing under key "${report.keyId}"\n` +
        line('leads', report.leads) +
        line('channels', report.channels) +
        line('channel versions', report.channelVersions),
    );
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`reencrypt failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
