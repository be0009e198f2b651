import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { userInfo } from 'node:os';
import { AdminApiError, AdminClient } from './admin-client';
import { applyPlan, makePlan, renderPlan } from './apply-plan';
import { parseDocument, readServer, toYaml } from './config-document';

const USAGE = `pingtree: configuration as code

  npm run pingtree -- export [-o file.yaml]          buyers, channels, trees and campaigns as YAML (credentials masked)
  npm run pingtree -- apply -f file.yaml [--yes] [--dry-run]
                                                     shows the diff, then applies it through the admin API
                                                     (so every tree and channel change is a version)

Environment: PINGTREE_URL (default http://127.0.0.1:3000), PINGTREE_ADMIN_KEY (required),
PINGTREE_ADMIN_USER (the author recorded on versions; default cli:<your user name>).`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Asks a yes/no question; null when no one can answer (not a terminal). */
  confirm(question: string): Promise<boolean | null>;
}

function option(args: string[], ...names: string[]): string | undefined {
  const i = args.findIndex((a) => names.includes(a));
  return i === -1 ? undefined : args[i + 1];
}

/** Runs one command; the exit code is 0 on success, 1 when the API refused or failed, 2 for a bad file or usage. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'export' && command !== 'apply') {
    io.err(`${USAGE}\n`);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  const adminKey = env['PINGTREE_ADMIN_KEY'];
  if (!adminKey) {
    io.err('PINGTREE_ADMIN_KEY is not set\n');
    return 2;
  }
  const client = new AdminClient({
    url: env['PINGTREE_URL'] ?? 'http://127.0.0.1:3000',
    adminKey,
    user: env['PINGTREE_ADMIN_USER'] ?? `cli:${userInfo().username}`,
  });
  try {
    if (command === 'export') return await exportConfig(client, option(rest, '-o', '--output'), io);
    const file = option(rest, '-f', '--file');
    if (!file) {
      io.err('apply needs -f file.yaml\n');
      return 2;
    }
    return await apply(client, file, { yes: rest.includes('--yes'), dryRun: rest.includes('--dry-run') }, io);
  } catch (error) {
    if (error instanceof AdminApiError) {
      io.err(`${error.describe()}\n`);
      return 1;
    }
    throw error;
  }
}

async function exportConfig(client: AdminClient, output: string | undefined, io: CliIo): Promise<number> {
  const yaml = toYaml(await readServer(client), client.url);
  if (output) {
    writeFileSync(output, yaml);
    io.err(`wrote ${output}\n`);
  } else io.out(yaml);
  return 0;
}

async function apply(client: AdminClient, path: string, flags: { yes: boolean; dryRun: boolean }, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    io.err(`cannot read ${path}: ${(error as Error).message}\n`);
    return 2;
  }
  const parsed = parseDocument(text);
  if ('problems' in parsed) {
    io.err(`${path} is not valid, nothing was applied:\n${parsed.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 2;
  }
  const planned = makePlan(parsed.doc, await readServer(client));
  if ('problems' in planned) {
    io.err(`${path} is not valid, nothing was applied:\n${planned.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 2;
  }
  const { plan } = planned;
  io.out(`Plan against ${client.url}:\n${renderPlan(plan)}\n`);
  if (plan.changes.length === 0 || flags.dryRun) return 0;
  if (!flags.yes) {
    const answer = await io.confirm('Apply these changes? [y/N] ');
    if (answer === null) {
      io.err('not applied: no terminal to confirm on; re-run with --yes\n');
      return 1;
    }
    if (!answer) {
      io.err('not applied\n');
      return 1;
    }
  }
  await applyPlan(client, plan, (line) => io.out(`${line}\n`));
  return 0;
}

const terminalIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  async confirm(question) {
    if (!process.stdin.isTTY) return null;
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  },
};

if (require.main === module) {
  runCli(process.argv.slice(2), process.env, terminalIo).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`pingtree: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
