// Bundles the CLI: dist/src/cli/main.js, as tsc emitted it, with every module of ours it imports, into dist/bundle/
// (run by `npm run build`, after tsc). A scan of a large estate runs from it (src/cli/large-scan.ts): importing some
// ninety modules one by one took ~45 ms of a 0.7 s scan, ~20 ms less from one bundle (BENCHMARKS.md, tenth session).
// npm packages stay outside it (googleapis, zod, yaml load as they always do), and so does each command's own code: a
// chunk is loaded only when its dynamic import runs, as the modules were.

import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const DIST = new URL('../dist/', import.meta.url);
const OUT = fileURLToPath(new URL('bundle/', DIST));

// Chunks are named by content hash: those of an earlier build would otherwise stay beside the new ones.
rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [fileURLToPath(new URL('src/cli/main.js', DIST))],
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  packages: 'external',
  // A stack trace in an internal-error report still names the function that threw.
  keepNames: true,
  logLevel: 'warning',
});
