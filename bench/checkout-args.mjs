// The arguments of the benches that time this checkout against others on one generated estate, alike in each:
// --dir DIR (the estate), --runs N (interleaved runs per checkout), --other CHECKOUT (repeatable, a built checkout).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** This checkout's root, the estate, the runs, and the checkouts to time: this one first. */
export function checkoutArgs(defaultRuns) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      runs: { type: 'string', default: String(defaultRuns) },
      other: { type: 'string', multiple: true },
    },
  });
  if (!values.dir)
    throw new Error('--dir DIR: an estate (node dist/bench/generate-estate.js --scale 1 --out DIR)');
  return { root, dir: values.dir, runs: Number(values.runs), checkouts: [root, ...(values.other ?? [])] };
}
