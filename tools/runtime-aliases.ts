import Module from 'node:module';
import path from 'node:path';

/**
 * Compiled code keeps `@pingtree/<lib>` imports (tsconfig paths); this maps them to dist/libs
 * at run time. Loaded with `node -r dist/tools/runtime-aliases.js`.
 */
const distRoot = path.resolve(__dirname, '..');
const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = resolver._resolveFilename;
resolver._resolveFilename = function (request: string, ...rest: unknown[]): string {
  const match = /^@pingtree\/([a-z-]+)$/.exec(request);
  const target = match ? path.join(distRoot, 'libs', match[1]!, 'src', 'index.js') : request;
  return original.call(this, target, ...rest);
};
