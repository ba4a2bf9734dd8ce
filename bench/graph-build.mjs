// The resource graph's build alone (issue 14): CPU, GC and retained heap of ResourceGraph.build on an estate, the
// first build of a process (cold code, as in a scan) and then on fresh copies of the records (warm code, fresh
// strings: nothing hashed yet, as every real build sees them).
// Run: npm run bench:graph-build [-- --runs 5 --builds 6 --scale 1 --dir DIR --other CHECKOUT --young MB]
// (builds src/ and bench/ into dist/). --other (repeatable) runs another built checkout in the same runs, interleaved
// A, B, B, A, so a before/after on a shared machine sees the same load. Each run is a fresh process. --young MB sizes
// the children's young generation (semi-spaces of MB): large enough, no collection runs during a build, and the heap
// it grew by is what the build allocated (shown when no collection ran).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './median.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    builds: { type: 'string', default: '6' },
    scale: { type: 'string', default: '1' },
    dir: { type: 'string' },
    other: { type: 'string', multiple: true },
    young: { type: 'string' },
    child: { type: 'string' },
  },
});

if (values.child) {
  await measureChild(values.child, values.dir, Number(values.builds));
} else {
  main();
}

/** One run: the first build on the loaded records, then `builds - 1` more, each on a fresh JSON copy of them. */
async function measureChild(checkout, estate, builds) {
  const from = (path) => import(pathToFileURL(join(checkout, 'dist/src', path)).href);
  const { loadEstate } = await from('adapters/estate-files/load-estate.js');
  const { ResourceGraph } = await from('domain/graph.js');
  const { inventory } = await loadEstate(estate);
  const text = JSON.stringify(inventory);
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  // GC entries reach the observer asynchronously: a short wait lets those of the forced collection arrive first.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  const runs = [];
  let records = inventory;
  for (let build = 0; build < builds; build++) {
    if (build > 0) records = JSON.parse(text);
    globalThis.gc();
    await settle();
    const heapBefore = process.memoryUsage().heapUsed;
    const gcBefore = gcMs;
    const cpu = process.cpuUsage();
    const start = performance.now();
    let graph = ResourceGraph.build(records);
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const heapAfter = process.memoryUsage().heapUsed;
    await settle();
    const gc = gcMs - gcBefore;
    globalThis.gc();
    const retained = process.memoryUsage().heapUsed - heapBefore;
    runs.push({
      cpu: (used.user + used.system) / 1000,
      wall,
      gc,
      // Without a collection during the build, what the heap grew by is what it allocated.
      allocatedMb: gc === 0 ? (heapAfter - heapBefore) / 1e6 : undefined,
      retainedMb: retained / 1e6,
      size: graph.size,
    });
    graph = undefined;
  }
  process.stdout.write(`${JSON.stringify(runs)}\n`);
}

function main() {
  const runs = Number(values.runs);
  const estate =
    values.dir ?? join(mkdtempSync(join(tmpdir(), 'gatewarden-graph-build-')), `estate-${values.scale}x`);
  if (!existsSync(estate)) {
    spawnSync(
      process.execPath,
      [join(root, 'dist/bench/generate-estate.js'), '--scale', values.scale, '--out', estate],
      { stdio: 'inherit' },
    );
  }
  const checkouts = [root, ...(values.other ?? [])];
  const loadBefore = loadavg()[0];
  /** checkout -> one list of builds per run */
  const reports = new Map(checkouts.map((checkout) => [checkout, []]));
  for (let run = 0; run < runs; run++) {
    for (const checkout of run % 2 ? [...checkouts].reverse() : checkouts) {
      const child = spawnSync(
        process.execPath,
        [
          '--expose-gc',
          ...(values.young
            ? [`--min-semi-space-size=${values.young}`, `--max-semi-space-size=${values.young}`]
            : []),
          fileURLToPath(import.meta.url),
          '--child',
          checkout,
          '--dir',
          estate,
          '--builds',
          values.builds,
        ],
        { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      );
      if (child.status !== 0) throw new Error(`${checkout}: exited ${child.status}: ${child.stderr}`);
      reports.get(checkout).push(JSON.parse(child.stdout.trim().split('\n').at(-1)));
    }
  }
  const loadAfter = loadavg()[0];
  const ms = (list) => median(list).toFixed(0);
  const lines = [
    `Estate ${estate}, ${runs} runs per checkout (fresh processes, interleaved), ${values.builds} builds per run; ` +
      `load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after. Medians, ms (retained: MB of heap the graph holds).`,
    '',
    '| checkout | resources | first build CPU (GC) | first build wall | later builds CPU (GC) | later builds wall | retained MB | allocated MB |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const [checkout, list] of reports) {
    const first = list.map((builds) => builds[0]);
    const later = list.flatMap((builds) => builds.slice(1));
    lines.push(
      `| ${checkout} | ${first[0].size} | ${ms(first.map((b) => b.cpu))} (${ms(first.map((b) => b.gc))}) | ` +
        `${ms(first.map((b) => b.wall))} | ${ms(later.map((b) => b.cpu))} (${ms(later.map((b) => b.gc))}) | ` +
        `${ms(later.map((b) => b.wall))} | ${median(later.map((b) => b.retainedMb)).toFixed(1)} | ` +
        `${later.every((b) => b.allocatedMb !== undefined) ? median(later.map((b) => b.allocatedMb)).toFixed(1) : 'a collection ran'} |`,
    );
  }
  lines.push('', 'Every run (first build CPU ms; later builds CPU ms):');
  for (const [checkout, list] of reports) {
    lines.push(
      `- ${checkout}: ${list
        .map(
          (builds) =>
            `${builds[0].cpu.toFixed(0)}; ${builds
              .slice(1)
              .map((b) => b.cpu.toFixed(0))
              .join(' ')}`,
        )
        .join(' | ')}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
