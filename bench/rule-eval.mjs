// Rule evaluation alone (issue 14): CPU of judging a built graph with the whole catalogue, first pass (the graph's
// memos and the API-config analyses cold, as in a scan) and again (memos warm), beside the build it follows.
// Run: npm run bench:rule-eval [-- --runs 5 --scale 1 --dir DIR --other CHECKOUT --per-rule | --scan]
// (builds src/ and bench/ into dist/). --other (repeatable) runs another built checkout in the same runs, interleaved
// A, B, A, B, so a before/after on a shared machine sees the same load. Each run is a fresh process on the same
// estate files: nothing is cached between runs. --per-rule times each rule alone first, cold, in catalogue order
// (a rule that first asks a graph query pays for filling its memo, so order matters when reading that table); the
// passes timed after it are then warm, so the main table of a --per-rule run is not a first pass.
// --scan times instead what `gatewarden scan` reports as "Judged ... in": scanInventory (graph build, first
// evaluateFailing, findings built and sorted) once, cold, in a worker with the heap of the CLI's large scan.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { tuneLikeTheCli, workerOptionsFor } from './cli-heap.mjs';
import { median } from './median.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    scale: { type: 'string', default: '1' },
    dir: { type: 'string' },
    other: { type: 'string', multiple: true },
    'per-rule': { type: 'boolean', default: false },
    scan: { type: 'boolean', default: false },
    child: { type: 'string' },
    worker: { type: 'boolean', default: false },
  },
});

const NOW = new Date('2026-06-01T00:00:00Z');

if (values.child && values.worker) {
  await measureScanInWorker(values.child, values.dir);
} else if (values.child && values.scan) {
  await measureScan(values.child, values.dir);
} else if (values.child) {
  await measureChild(values.child, values.dir, values['per-rule']);
} else {
  await main();
}

/** One run: load, build, then judge, each phase's CPU (user + sys) and wall, and the GC time inside each. */
async function measureChild(checkout, estate, perRule) {
  const from = (path) => import(pathToFileURL(join(checkout, 'dist/src', path)).href);
  const { loadEstate } = await from('adapters/estate-files/load-estate.js');
  const { ResourceGraph } = await from('domain/graph.js');
  const { evaluate, evaluateFailing } = await from('engine/evaluate.js');
  const { ALL_RULES } = await from('rules/catalogue.js');
  const { inventory } = await loadEstate(estate);
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  const flushGc = () => new Promise((resolve) => setImmediate(resolve));
  const phase = async (work, collect = true) => {
    // A full collection first, so no phase pays for the garbage of the one before (its background sweeping aside).
    if (collect) globalThis.gc?.();
    await flushGc();
    const gcBefore = gcMs;
    const cpu = process.cpuUsage();
    const thread = process.threadCpuUsage();
    const start = performance.now();
    const value = work();
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const own = process.threadCpuUsage(thread);
    await flushGc();
    return {
      value,
      wall,
      cpu: (used.user + used.system) / 1000,
      // The main thread alone: the rest is the compiler and the collector's helper threads.
      mainCpu: (own.user + own.system) / 1000,
      gc: gcMs - gcBefore,
    };
  };
  const report = {};
  const build = await phase(() => ResourceGraph.build(inventory));
  report.build = build;
  const graph = build.value;
  if (perRule) {
    // Each rule alone, in catalogue order, on the fresh graph with nothing warm: what each costs in a scan's first
    // pass (a rule that first asks a graph query pays for filling its memo, and the first to read the API configs
    // pays for parsing them).
    report.rules = [];
    for (const rule of ALL_RULES) {
      // No full collection between rules: each one's background sweeping would be charged to the next rule.
      const one = await phase(() => evaluateFailing(graph, [rule], { now: NOW }), false);
      report.rules.push({
        id: rule.id,
        cpu: one.cpu,
        mainCpu: one.mainCpu,
        wall: one.wall,
        failing: one.value.results.length,
      });
    }
  }
  const first = await phase(() => evaluateFailing(graph, ALL_RULES, { now: NOW }));
  const warm = await phase(() => evaluateFailing(graph, ALL_RULES, { now: NOW }));
  const all = await phase(() => evaluate(graph, ALL_RULES, { now: NOW }));
  report.first = first;
  report.warm = warm;
  report.all = all;
  report.resources = graph.size;
  report.failing = first.value.results.length;
  report.results = all.value.length;
  for (const key of ['build', 'first', 'warm', 'all']) delete report[key].value;
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** --scan: this script again in a worker with the heap of the CLI's large scan (bench/cli-heap.mjs). */
async function measureScan(checkout, estate) {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(fileURLToPath(import.meta.url), {
    argv: ['--child', checkout, '--dir', estate, '--worker'],
    ...(await workerOptionsFor(checkout)),
    stdout: true,
  });
  let out = '';
  worker.stdout.setEncoding('utf8');
  worker.stdout.on('data', (chunk) => {
    out += chunk;
  });
  await new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', resolve);
  });
  process.stdout.write(out);
}

/** In the worker: load the estate, then scanInventory once, as the CLI's scan command times it. */
async function measureScanInWorker(checkout, estate) {
  const from = (path) => import(pathToFileURL(join(checkout, 'dist/src', path)).href);
  const { loadEstate } = await from('adapters/estate-files/load-estate.js');
  const { scanInventory } = await from('app/scan.js');
  const { ALL_RULES } = await from('rules/catalogue.js');
  const heap = await tuneLikeTheCli(checkout);
  const { inventory } = await loadEstate(estate);
  const pauses = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry);
  }).observe({ entryTypes: ['gc'] });
  await new Promise((resolve) => setImmediate(resolve));
  const cpu = process.cpuUsage();
  const thread = process.threadCpuUsage();
  const start = performance.now();
  const report = scanInventory(inventory, { rules: ALL_RULES, clock: { now: () => NOW } });
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const own = process.threadCpuUsage(thread);
  // GC entries are delivered after a turn or more of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const scan = {
    wall,
    cpu: (used.user + used.system) / 1000,
    mainCpu: (own.user + own.system) / 1000,
    // Only the pauses that began while judging (those of loading may be delivered late).
    gc: pauses
      .filter((entry) => entry.startTime >= start && entry.startTime < start + wall)
      .reduce((sum, entry) => sum + entry.duration, 0),
  };
  heap.end();
  process.stdout.write(
    `${JSON.stringify({ scan, resources: report.summary.resources, failing: report.findings.length })}\n`,
  );
}

async function main() {
  const runs = Number(values.runs);
  const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-rule-eval-'));
  const estate = values.dir ?? join(scratch, `estate-${values.scale}x`);
  if (!values.dir || !existsSync(estate)) {
    spawnSync(
      process.execPath,
      [join(root, 'dist/bench/generate-estate.js'), '--scale', values.scale, '--out', estate],
      {
        stdio: 'inherit',
      },
    );
  }
  const checkouts = [root, ...(values.other ?? [])];
  const loadBefore = loadavg()[0];
  /** checkout -> one report per run */
  const reports = new Map(checkouts.map((checkout) => [checkout, []]));
  for (let run = 0; run < runs; run++) {
    for (const checkout of run % 2 ? [...checkouts].reverse() : checkouts) {
      const args = [
        '--expose-gc',
        fileURLToPath(import.meta.url),
        '--child',
        checkout,
        '--dir',
        estate,
        ...(values['per-rule'] ? ['--per-rule'] : []),
        ...(values.scan ? ['--scan'] : []),
      ];
      const child = spawnSync(process.execPath, args, {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      if (child.status !== 0) throw new Error(`${checkout}: exited ${child.status}: ${child.stderr}`);
      reports.get(checkout).push(JSON.parse(child.stdout.trim().split('\n').at(-1)));
    }
  }
  const loadAfter = loadavg()[0];
  const ms = (list) => median(list).toFixed(0);
  if (values.scan) {
    printScan(reports, ms, estate, runs, loadBefore, loadAfter);
    return;
  }
  const lines = [
    `Estate ${estate}, ${runs} runs per checkout, interleaved; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after. Medians, ms.`,
    '',
    '| checkout | resources | failing | results | build CPU | 1st pass CPU (GC) | 1st pass main-thread CPU | 1st pass wall | warm pass CPU | evaluate (all) CPU | build + 1st pass CPU | resources / CPU-s |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const [checkout, list] of reports) {
    const engine = median(list.map((report) => report.build.cpu + report.first.cpu));
    const [one] = list;
    lines.push(
      `| ${checkout} | ${one.resources} | ${one.failing} | ${one.results} | ${ms(list.map((r) => r.build.cpu))} | ` +
        `${ms(list.map((r) => r.first.cpu))} (${ms(list.map((r) => r.first.gc))}) | ${ms(list.map((r) => r.first.mainCpu))} | ${ms(list.map((r) => r.first.wall))} | ` +
        `${ms(list.map((r) => r.warm.cpu))} | ${ms(list.map((r) => r.all.cpu))} | ${engine.toFixed(0)} | ` +
        `${Math.round(one.resources / (engine / 1000)).toLocaleString('en-US')} |`,
    );
  }
  if (values['per-rule']) {
    lines.push(
      '',
      'With --per-rule the passes above ran after the rules one by one: memos and code warm, not a first pass.',
    );
  }
  lines.push('', 'Every run (1st pass CPU ms):');
  for (const [checkout, list] of reports) {
    lines.push(`- ${checkout}: ${list.map((report) => report.first.cpu.toFixed(0)).join(', ')}`);
  }
  if (values['per-rule']) {
    lines.push(
      '',
      `| rule, alone and cold, catalogue order | ${checkouts.map((c) => `${c} main-thread CPU ms`).join(' | ')} | failing |`,
    );
    lines.push(`|---|${checkouts.map(() => '--:|').join('')}--:|`);
    const ids = reports.get(root)[0].rules.map((rule) => rule.id);
    ids.forEach((id, index) => {
      const cells = checkouts.map((checkout) =>
        ms(reports.get(checkout).map((report) => report.rules[index].mainCpu)),
      );
      lines.push(`| ${id} | ${cells.join(' | ')} | ${reports.get(root)[0].rules[index].failing} |`);
    });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printScan(reports, ms, estate, runs, loadBefore, loadAfter) {
  const lines = [
    `Estate ${estate}, ${runs} runs per checkout, interleaved; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after. Medians, ms.`,
    'scanInventory once, cold, in a worker with the heap of the CLI\'s large scan (what `scan` prints as "Judged ... in").',
    '',
    '| checkout | resources | findings | wall | CPU, all threads | worker-thread CPU | GC pauses |',
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const [checkout, list] of reports) {
    const [one] = list;
    lines.push(
      `| ${checkout} | ${one.resources} | ${one.failing} | ${ms(list.map((r) => r.scan.wall))} | ` +
        `${ms(list.map((r) => r.scan.cpu))} | ${ms(list.map((r) => r.scan.mainCpu))} | ${ms(list.map((r) => r.scan.gc))} |`,
    );
  }
  lines.push('', 'Every run (wall ms):');
  for (const [checkout, list] of reports) {
    lines.push(`- ${checkout}: ${list.map((report) => report.scan.wall.toFixed(0)).join(', ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
