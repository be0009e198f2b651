// Builds the console with Vite's JS API into dist/console, which the gateway serves at /console/.
// `npm run build:console` runs this; the browser tests run it too when dist/console is missing.
import path from 'node:path';
import { build } from 'vite';

const root = import.meta.dirname;

await build({
  root,
  base: '/console/',
  logLevel: 'warn',
  build: { outDir: path.resolve(root, '../../dist/console'), emptyOutDir: true, sourcemap: true },
});
