// The CLI against the parse floor (issue 14): `gatewarden scan --estate DIR --format json --out F` beside a bare
// read + JSON.parse of the same files (bench/parse-floor.mjs), whole processes, interleaved, on the generated estate.
// Run: npm run bench:cli-floor [-- --runs 5 --scale 1 --dir DIR --other CHECKOUT]   (builds src/ and bench/ into dist/,
// then the CLI bundle a large scan runs: tsc alone leaves it older than the modules, and the scan then runs those)
// --other (repeatable) times another built checkout's scan in the same runs (before/after on a shared machine);
// --env NAME=VALUE (repeatable) times this checkout's scan with NAME set in its environment, one row per setting.
// Each process is timed here (wall, to the microsecond) and by /usr/bin/time (user + sys CPU, peak RSS); the table
// shows medians and the ratios scan / floor against the targets (wall <= 5x, peak RSS <= 2.5x), with the load
// average before and after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './median.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    scale: { type: 'string', default: '1' },
    dir: { type: 'string' },
    other: { type: 'string', multiple: true },
    env: { type: 'string', multiple: true },
  },
});
const runs = Number(values.runs);
const TARGET = { wall: 5, rss: 2.5 };

if (!existsSync('/usr/bin/time')) throw new Error('needs /usr/bin/time (GNU time) for peak RSS');
if (Number(process.versions.node.split('.')[0]) < 24) {
  process.stderr.write(`warning: Node ${process.version}; the project runs on 24 (node_modules/.bin/node)\n`);
}

const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-cli-floor-'));
const estate = values.dir ?? join(scratch, `estate-${values.scale}x`);
if (!values.dir || !existsSync(estate)) {
  run([join(root, 'dist/bench/generate-estate.js'), '--scale', values.scale, '--out', estate]);
}

const scanWith = (checkout, out) => [
  join(checkout, 'bin/gatewarden.js'),
  ...['scan', '--estate', estate, '--format', 'json', '--out', join(scratch, out)],
];
const COMMANDS = {
  floor: [join(root, 'bench/parse-floor.mjs'), estate],
  scan: scanWith(root, 'report.json'),
  ...Object.fromEntries(
    (values.other ?? []).map((checkout, index) => [checkout, scanWith(checkout, `other-${index}.json`)]),
  ),
  ...Object.fromEntries(
    (values.env ?? []).map((setting, index) => [setting, scanWith(root, `env-${index}.json`)]),
  ),
};
/** The environment of each command: --env NAME=VALUE's over this one. */
const envOf = (name) => {
  const at = name.indexOf('=');
  return (values.env ?? []).includes(name) && at > 0
    ? { ...process.env, [name.slice(0, at)]: name.slice(at + 1) }
    : process.env;
};

/**
 * Runs `node ARGS` under /usr/bin/time, whose last line of stderr is its `user sys maxrss-kB`. Wall is timed here, to
 * the microsecond: /usr/bin/time reads it to 10 ms, which alone moved a 0.13 s floor's ratio by 8 %. It includes
 * /usr/bin/time's own start (~1 ms), for the floor and the scan alike.
 */
function run(args, env = process.env) {
  const started = process.hrtime.bigint();
  const child = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  const [user, sys, maxKb] = child.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, cpu: user + sys, rss: maxKb / 1024, ...phasesOf(child.stderr) };
}

/** The scan's own account of its phases (wall, in-process): `Loaded ... in 812 ms`, `Judged ... in 1,832 ms`. */
function phasesOf(stderr) {
  const ms = (verb) =>
    Number(new RegExp(`^${verb} .* in ([\\d,]+) ms$`, 'm').exec(stderr)?.[1].replaceAll(',', ''));
  return { load: ms('Loaded'), judge: ms('Judged') };
}
const loadBefore = loadavg()[0];
// One unmeasured run of each first: the files are in the page cache for every measured one.
for (const [name, args] of Object.entries(COMMANDS)) run(args, envOf(name));
const samples = Object.fromEntries(Object.keys(COMMANDS).map((name) => [name, []]));
for (let repetition = 0; repetition < runs; repetition++) {
  // Interleaved, so a busy moment on a shared machine falls on both alike.
  for (const [name, args] of Object.entries(COMMANDS)) samples[name].push(run(args, envOf(name)));
}
const loadAfter = loadavg()[0];
rmSync(scratch, { recursive: true, force: true });

const medians = Object.fromEntries(
  Object.entries(samples).map(([name, list]) => [
    name,
    Object.fromEntries(
      ['wall', 'cpu', 'rss', 'load', 'judge'].map((key) => [key, median(list.map((s) => s[key]))]),
    ),
  ]),
);
const ratio = (key, name = 'scan') => medians[name][key] / medians.floor[key];
const seconds = (value) => `${value.toFixed(2)} s`;
const wallSeconds = (value) => `${value.toFixed(3)} s`;
const megabytes = (value) => `${Math.round(value)} MB`;
const lines = [
  `Estate: ${values.dir ? estate : `scale ${values.scale} (${estate})`}; Node ${process.version}; ${runs} runs each, interleaved, medians.`,
  `Load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after.`,
  '',
  '| | wall | CPU (user + sys) | peak RSS |',
  '|---|--:|--:|--:|',
  `| read + \`JSON.parse\` (the floor) | ${wallSeconds(medians.floor.wall)} | ${seconds(medians.floor.cpu)} | ${megabytes(medians.floor.rss)} |`,
  `| \`gatewarden scan --estate DIR --format json --out F\` | ${wallSeconds(medians.scan.wall)} | ${seconds(medians.scan.cpu)} | ${megabytes(medians.scan.rss)} |`,
  `| scan / floor | ${ratio('wall').toFixed(2)}x (target <= ${TARGET.wall}x) | ${ratio('cpu').toFixed(1)}x | ${ratio('rss').toFixed(2)}x (target <= ${TARGET.rss}x) |`,
  ...[...(values.other ?? []), ...(values.env ?? [])].flatMap((checkout) => [
    `| scan of ${checkout} | ${wallSeconds(medians[checkout].wall)} | ${seconds(medians[checkout].cpu)} | ${megabytes(medians[checkout].rss)} |`,
    `| that scan / floor | ${ratio('wall', checkout).toFixed(2)}x | ${ratio('cpu', checkout).toFixed(1)}x | ${ratio('rss', checkout).toFixed(2)}x |`,
  ]),
  '',
  ...Object.entries(medians)
    .filter(([name]) => name !== 'floor')
    .map(
      ([name, m]) =>
        `${name}: loaded in ${Math.round(m.load)} ms, judged in ${Math.round(m.judge)} ms (wall, from its stderr)`,
    ),
  '',
  'Each run (wall s / CPU s / peak RSS MB):',
  ...Object.entries(samples).map(
    ([name, list]) =>
      `  ${name} ${list.map((s) => `${s.wall.toFixed(3)}/${s.cpu.toFixed(2)}/${Math.round(s.rss)}`).join('  ')}`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
