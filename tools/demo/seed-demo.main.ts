import { createDataSource } from '@pingtree/db';
import { seedDemo } from './seed-demo';

/** Seeds the demo configuration into DATABASE_URL, pointing channels at BUYER_SIM_URL. */
async function main(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  const simUrl = process.env['BUYER_SIM_URL'] ?? 'http://127.0.0.1:4100';
  if (!url) throw new Error('DATABASE_URL is not set');
  const ds = await createDataSource(url, { poolSize: 1 }).initialize();
  try {
    const { created } = await seedDemo(ds, simUrl);
    process.stdout.write(created ? `demo configuration seeded (buyers at ${simUrl})\n` : 'demo configuration already present\n');
  } finally {
    await ds.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
