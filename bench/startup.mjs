// Start-up of the `gatewarden` command (issue 14): median wall, CPU (user+sys) and peak RSS of whole processes,
// each command run in a fresh Node as a user runs it, measured by /usr/bin/time (GNU time) around the child.
// Run after `npm run build`, with Node 24 (npm run bench:startup does both):
//   node bench/startup.mjs [--runs N] [--bin PATH/TO/gatewarden.js ...]
// Each --bin (repeatable; default this checkout's) is another build, say a `git archive` of an older main built in
// /tmp: all run the same commands from this checkout, interleaved, so a busy moment hits every build alike.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './median.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    bin: { type: 'string', multiple: true, default: [join(root, 'bin/gatewarden.js')] },
  },
});
const runs = Number(values.runs);
const COMMANDS = [['rules'], ['--help'], ['scan', '--estate', 'examples/acme-edge']];
const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-startup-'));
const timeFile = join(scratch, 'time');

/** One run of `node BIN ...args`: wall s, CPU s, peak RSS MB; the command's own exit code is not a failure here. */
function measure(bin, args) {
  const child = spawnSync(
    '/usr/bin/time',
    ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, bin, ...args],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    },
  );
  if (child.error) throw new Error(`/usr/bin/time (GNU time) is needed: ${child.error.message}`);
  const [wall, user, sys, kb] = readFileSync(timeFile, 'utf8')
    .trim()
    .split('\n')
    .at(-1)
    .split(' ')
    .map(Number);
  if (![wall, user, sys, kb].every(Number.isFinite)) {
    throw new Error(`${bin} ${args.join(' ')}: ${child.stderr}`);
  }
  return { wall, cpu: user + sys, rss: kb / 1024 };
}
const load = () => loadavg()[0].toFixed(2);

try {
  const loadBefore = load();
  // One unmeasured run each first: the page cache is then warm, as it is for anyone who runs the command twice.
  for (const bin of values.bin) for (const args of COMMANDS) measure(bin, args);
  const samples = new Map();
  for (let run = 0; run < runs; run += 1) {
    for (const bin of values.bin) {
      for (const args of COMMANDS) {
        const key = `${bin}\0${args.join(' ')}`;
        samples.set(key, [...(samples.get(key) ?? []), measure(bin, args)]);
      }
    }
  }
  console.log(`node ${process.version}, median of ${runs}, load average ${loadBefore} -> ${load()}`);
  for (const [key, runsOf] of samples) {
    const [bin, name] = key.split('\0');
    if (name === 'rules') console.log(bin);
    const wall = median(runsOf.map((sample) => sample.wall)).toFixed(2);
    const cpu = median(runsOf.map((sample) => sample.cpu)).toFixed(2);
    const rss = median(runsOf.map((sample) => sample.rss)).toFixed(0);
    console.log(`  gatewarden ${name.padEnd(34)} ${wall} s wall  ${cpu} s CPU  ${rss.padStart(3)} MB`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
