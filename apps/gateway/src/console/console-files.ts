import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Built console files: `npm run build:console` writes them to dist/console (PINGTREE_CONSOLE_DIR overrides). */
export function consoleDir(): string {
  const configured = process.env['PINGTREE_CONSOLE_DIR'];
  if (configured) return path.resolve(configured);
  // Running from dist/apps/gateway/src/console or from apps/gateway/src/console: the repo root is above either.
  for (const root of [path.resolve(__dirname, '../../../../..'), path.resolve(__dirname, '../../../..'), process.cwd()]) {
    const dir = path.join(root, 'dist', 'console');
    if (existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return path.join(process.cwd(), 'dist', 'console');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

export interface ConsoleFile {
  body: Buffer;
  type: string;
  /** Vite names assets by content hash: they never change, index.html always may. */
  immutable: boolean;
}

/**
 * The file for a path under /console/, or index.html for an app route (no extension), or null.
 * The path is resolved inside the console directory only: `..` and encoded tricks can't leave it.
 */
export async function consoleFile(dir: string, requested: string): Promise<ConsoleFile | null> {
  let relative: string;
  try {
    relative = decodeURIComponent(requested.split('?')[0] ?? '');
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  const file = path.resolve(dir, '.' + path.posix.normalize('/' + relative));
  if (file !== dir && !file.startsWith(dir + path.sep)) return null;
  const isFile = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  const target = isFile ? file : path.extname(file) === '' ? path.join(dir, 'index.html') : null;
  if (!target) return null;
  const body = await readFile(target).catch(() => null);
  if (!body) return null;
  return {
    body,
    type: TYPES[path.extname(target)] ?? 'application/octet-stream',
    immutable: target.startsWith(path.join(dir, 'assets') + path.sep),
  };
}
