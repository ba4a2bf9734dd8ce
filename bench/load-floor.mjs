// The estate loader against the parse floor, in process (issue 14): `loadEstate(DIR)` in a worker with the heap of the
// CLI's large scan (bench/cli-heap.mjs), beside a worker that only reads and JSON.parses the same exports and keeps the values (what the loader
// must at least do), interleaved, a fresh worker per run (the loader runs cold once per scan, as in the CLI).
// Run: npm run bench:load-floor -- --dir DIR [--runs 9] [--other CHECKOUT]...   (builds src/ and bench/ into dist/)
// --other (repeatable) times another built checkout's loader in the same rounds (its dist/ from tsconfig.bench.json).
// Reports medians of wall, process CPU (every thread: V8's parallel GC helpers too) and the loading thread's own CPU
// (process.threadCpuUsage), which a busy shared machine disturbs least.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { checkoutArgs } from './checkout-args.mjs';
import { tuneLikeTheCli, workerOptionsFor } from './cli-heap.mjs';
import { median } from './median.mjs';

if (isMainThread) {
  const { root, dir, runs, checkouts } = checkoutArgs(9);
  const subjects = [
    { name: 'floor (read + JSON.parse, kept)' },
    ...checkouts.map((checkout) => ({ name: `loadEstate ${checkout}`, checkout })),
  ];
  const samples = new Map(subjects.map((subject) => [subject.name, []]));
  const once = async (subject) => {
    const checkout = subject.checkout ?? root;
    const options = await workerOptionsFor(checkout);
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: { dir, checkout: subject.checkout, heapOf: checkout },
        ...options,
      });
      worker.on('message', (sample) => samples.get(subject.name).push(sample));
      worker.on('error', reject);
      worker.on('exit', resolve);
    });
  };
  const loadBefore = loadavg()[0];
  // One unmeasured round: the exports are in the page cache for every measured one.
  for (const subject of subjects) await once(subject);
  for (const list of samples.values()) list.length = 0;
  for (let run = 0; run < runs; run++) for (const subject of subjects) await once(subject);
  const ms = (value) => `${Math.round(value)} ms`;
  const lines = [
    `Estate ${dir}; Node ${process.version}; each checkout's large-scan heap; ${runs} runs each, interleaved, medians.`,
    `Load average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after.`,
    '',
    '| | wall | CPU (process) | CPU (loading thread) |',
    '|---|--:|--:|--:|',
    ...[...samples].map(
      ([name, list]) =>
        `| ${name} | ${ms(median(list.map((s) => s.wall)))} | ${ms(median(list.map((s) => s.cpu)))} | ${ms(median(list.map((s) => s.thread)))} |`,
    ),
    '',
    'Each run (wall / loading thread CPU, ms):',
    ...[...samples].map(
      ([name, list]) =>
        `  ${name}: ${list.map((s) => `${Math.round(s.wall)}/${Math.round(s.thread)}`).join('  ')}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} else {
  const { dir, checkout, heapOf } = workerData;
  const load =
    checkout === undefined
      ? undefined
      : (await import(join(checkout, 'dist/src/adapters/estate-files/load-estate.js'))).loadEstate;
  const heap = await tuneLikeTheCli(heapOf);
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const thread = process.threadCpuUsage();
  let kept;
  if (load) kept = await load(dir);
  else {
    kept = [];
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      kept.push(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    }
  }
  const cpuUsed = process.cpuUsage(cpu);
  const threadUsed = process.threadCpuUsage(thread);
  parentPort.postMessage({
    wall: performance.now() - wall,
    cpu: (cpuUsed.user + cpuUsed.system) / 1000,
    thread: (threadUsed.user + threadUsed.system) / 1000,
    kept: kept === undefined ? 0 : 1,
  });
  heap.end();
}
