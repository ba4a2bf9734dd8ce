// The `--format json --out F` report of a scan, on its own (issue 14): in a worker with the heap of the CLI's large scan
// (bench/cli-heap.mjs), the
// estate is loaded and judged, then the report is rendered and written as the CLI writes it (renderJsonPieces into
// writeOutputFile, fsync and rename included) and, for the floor of that, only rendered; a fresh worker per run,
// checkouts interleaved. Run: npm run bench:json-output -- --dir DIR [--runs 7] [--other CHECKOUT]...
// Reports medians of wall and of the worker thread's own CPU (process.threadCpuUsage).
import { unlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { checkoutArgs } from './checkout-args.mjs';
import { tuneLikeTheCli, workerOptionsFor } from './cli-heap.mjs';
import { median } from './median.mjs';

if (isMainThread) {
  const { dir, runs, checkouts } = checkoutArgs(7);
  const samples = new Map();
  const once = async (checkout, mode) => {
    const options = await workerOptionsFor(checkout);
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: { dir, checkout, mode },
        ...options,
      });
      worker.on('message', (sample) => {
        const key = `${mode} ${checkout}`;
        samples.set(key, [...(samples.get(key) ?? []), sample]);
      });
      worker.on('error', reject);
      worker.on('exit', resolve);
    });
  };
  const loadBefore = loadavg()[0];
  for (let run = 0; run < runs; run++) {
    for (const checkout of checkouts) for (const mode of ['write', 'render']) await once(checkout, mode);
  }
  const lines = [
    `Estate ${dir}; Node ${process.version}; ${runs} runs each, interleaved, medians.`,
    `Load average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after.`,
    '',
    '| | findings | wall | CPU (worker thread) |',
    '|---|--:|--:|--:|',
    ...[...samples].map(
      ([key, list]) =>
        `| ${key.startsWith('write') ? 'rendered and written' : 'rendered only'} (${key.replace(/^\w+ /, '')}) | ${list[0].findings} | ${Math.round(median(list.map((s) => s.wall)))} ms | ${Math.round(median(list.map((s) => s.thread)))} ms |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} else {
  const { dir, checkout, mode } = workerData;
  const load = (path) => import(join(checkout, 'dist/src', path));
  const { loadEstate } = await load('adapters/estate-files/load-estate.js');
  const { scanInventory } = await load('app/scan.js');
  const { ALL_RULES } = await load('rules/catalogue.js');
  const { renderJsonPieces } = await load('report/json.js');
  const { writeOutputFile } = await load('adapters/files/output-file.js');
  const heap = await tuneLikeTheCli(checkout);
  const estate = await loadEstate(dir);
  const report = scanInventory(estate.inventory, {
    rules: ALL_RULES,
    warnings: estate.warnings,
    clock: { now: () => new Date(0) },
  });
  const out = join(tmpdir(), `gatewarden-json-output-${process.pid}.json`);
  const wall = performance.now();
  const thread = process.threadCpuUsage();
  if (mode === 'write') await writeOutputFile(out, renderJsonPieces(report));
  else for (const piece of renderJsonPieces(report)) piece.length;
  const used = process.threadCpuUsage(thread);
  parentPort.postMessage({
    wall: performance.now() - wall,
    thread: (used.user + used.system) / 1000,
    findings: report.findings.length,
  });
  heap.end();
  if (mode === 'write') unlinkSync(out);
}
