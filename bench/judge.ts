// Times graph build + judging with the whole catalogue at 1x, 2x and 4x the reference estate size.
// Each scale runs in its own child process so its peak RSS is its own; every repetition judges a freshly
// generated estate, so caches keyed by record (e.g. the memoised API config analysis) start cold each time.
// `--path scan` (the default) times what `gatewarden scan` calls, `evaluateFailing`: failing results kept, passes
// counted; `--path all` times `evaluate`, every result an object (what events and plan checks call).
// Beside wall and process CPU it reports the main thread's own CPU and the GC pauses that began inside the timed
// window (count and ms, minor = scavenges): the wall follows the main thread, while the process CPU also holds the
// compiler and GC helper threads, whose JIT share does not grow with the estate; the table says which one grew.
// `--settle` also times one scavenge right after the window (not in its figures): what copying the survivors that
// build + judge left in the young generation costs. Whether a scale's window ends before or after the scavenges that
// copy its graph depends on where the young generation happens to fill, so the total with it is the steadier growth.

import { spawnSync } from 'node:child_process';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ANALYSES_BY_CONTENT } from '../src/domain/api-config-auth.js';
import { ResourceGraph } from '../src/domain/graph.js';
import type { Inventory } from '../src/domain/inventory.js';
import { evaluate, evaluateFailing } from '../src/engine/evaluate.js';
import { ALL_RULES } from '../src/rules/catalogue.js';
import { countRecords, generateEstate } from './generate-estate.js';

type JudgePath = 'scan' | 'all';

interface ScaleReport {
  readonly scale: number;
  readonly path: JudgePath;
  readonly records: Record<string, number>;
  readonly resources: number;
  readonly results: number;
  readonly failures: number;
  readonly buildMs: readonly number[];
  readonly evaluateMs: readonly number[];
  readonly totalMs: readonly number[];
  /** CPU time of the process (all threads, GC helpers included) during build + evaluate. */
  readonly cpuMs: readonly number[];
  /** CPU time of the main thread alone during build + evaluate (what the wall follows on an idle machine). */
  readonly mainCpuMs: readonly number[];
  /** GC pauses that began inside build + evaluate: scavenges (minor) and the rest, count and ms. */
  readonly minorGcs: readonly number[];
  readonly minorGcMs: readonly number[];
  readonly otherGcs: readonly number[];
  readonly otherGcMs: readonly number[];
  /** With --settle: the scavenge right after the window, ms (empty without). */
  readonly settleMs: readonly number[];
  readonly peakRssMb: number;
  readonly rules: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** One scavenge (a minor GC), now: --expose-gc's `gc({ type: 'minor' })`. */
function scavenge(): void {
  (globalThis as { gc?: (options: { type: string }) => void }).gc?.({ type: 'minor' });
}

/**
 * The generated records as the CLI and the sweep hold them: parsed from JSON text. The generator builds its strings
 * by concatenation, which V8 keeps as unflattened ropes that cost extra the first time each is hashed or compared.
 */
function asParsedJson(inventory: Inventory): Inventory {
  const parsed: Record<string, unknown> = { ...inventory };
  for (const [key, value] of Object.entries(inventory)) {
    if (Array.isArray(value)) parsed[key] = value.map((record) => JSON.parse(JSON.stringify(record)));
  }
  return parsed as unknown as Inventory;
}

function judge(graph: ResourceGraph, path: JudgePath): { results: number; failures: number } {
  const now = new Date('2026-06-01T00:00:00Z');
  if (path === 'all') {
    const results = evaluate(graph, ALL_RULES, { now });
    return { results: results.length, failures: results.filter((result) => result.status === 'fail').length };
  }
  const { counts } = evaluateFailing(graph, ALL_RULES, { now });
  return {
    results: counts.pass + counts.fail + counts['not-applicable'] + counts.error,
    failures: counts.fail,
  };
}

function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

/** Lets the GC observer deliver what it queued (it reports after the synchronous work that made the entries). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function measureScale(
  scale: number,
  repetitions: number,
  path: JudgePath,
  settle: boolean,
): Promise<ScaleReport> {
  const settleMs: number[] = [];
  const buildMs: number[] = [];
  const evaluateMs: number[] = [];
  const totalMs: number[] = [];
  const cpuMs: number[] = [];
  const mainCpuMs: number[] = [];
  const minorGcs: number[] = [];
  const minorGcMs: number[] = [];
  const otherGcs: number[] = [];
  const otherGcMs: number[] = [];
  const pauses: { start: number; duration: number; minor: boolean }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = ((entry as { detail?: unknown }).detail as { kind?: number } | null | undefined)?.kind;
      pauses.push({
        start: entry.startTime,
        duration: entry.duration,
        minor: kind === constants.NODE_PERFORMANCE_GC_MINOR,
      });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  let records: Record<string, number> = {};
  let resources = 0;
  let results = 0;
  let failures = 0;
  for (let rep = 0; rep < repetitions; rep++) {
    let inventory: Inventory | undefined = asParsedJson(generateEstate({ scale }));
    records = countRecords(inventory);
    // Same seed, same documents: without this the content-keyed analysis cache would make repetitions 2+ warm.
    ANALYSES_BY_CONTENT.clear();
    collectGarbage();
    const cpuStart = process.cpuUsage();
    const mainStart = threadCpuMs();
    const start = performance.now();
    const graph = ResourceGraph.build(inventory);
    const built = performance.now();
    const judged = judge(graph, path);
    const end = performance.now();
    const mainEnd = threadCpuMs();
    const cpu = process.cpuUsage(cpuStart);
    if (settle) {
      const settleStart = performance.now();
      scavenge();
      settleMs.push(performance.now() - settleStart);
    }
    cpuMs.push((cpu.user + cpu.system) / 1000);
    mainCpuMs.push(mainEnd - mainStart);
    buildMs.push(built - start);
    evaluateMs.push(end - built);
    totalMs.push(end - start);
    resources = graph.size;
    ({ results, failures } = judged);
    inventory = undefined;
    await nextTurn();
    const inWindow = pauses.filter((pause) => pause.start >= start && pause.start < end);
    const minor = inWindow.filter((pause) => pause.minor);
    const other = inWindow.filter((pause) => !pause.minor);
    minorGcs.push(minor.length);
    minorGcMs.push(minor.reduce((sum, pause) => sum + pause.duration, 0));
    otherGcs.push(other.length);
    otherGcMs.push(other.reduce((sum, pause) => sum + pause.duration, 0));
    pauses.length = 0;
  }
  observer.disconnect();
  return {
    scale,
    path,
    records,
    resources,
    results,
    failures,
    buildMs,
    evaluateMs,
    totalMs,
    cpuMs,
    mainCpuMs,
    minorGcs,
    minorGcMs,
    otherGcs,
    otherGcMs,
    settleMs,
    // maxRSS is in kilobytes: the high-water mark of this process (this scale only).
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rules: ALL_RULES.length,
  };
}

function runChild(scale: number, repetitions: number, path: JudgePath, settle: boolean): ScaleReport {
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      fileURLToPath(import.meta.url),
      '--child',
      String(scale),
      String(repetitions),
      path,
      settle ? 'settle' : 'no-settle',
    ],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (child.status !== 0) {
    throw new Error(`bench: scale ${scale} failed (exit ${child.status})\n${child.stderr}`);
  }
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ScaleReport;
}

function formatReport(reports: readonly ScaleReport[]): string {
  const lines = [
    `Rules in the catalogue: ${reports[0]?.rules ?? 0}. Judged with ${reports[0]?.path === 'all' ? 'evaluate (every result kept)' : 'evaluateFailing (what scan calls)'}. ` +
      `Median of ${reports[0]?.totalMs.length ?? 0} repetitions per scale.`,
    '',
    '| Scale | Backend services | NEGs | Gateways | API configs | Resources | Results | Failing | Build (ms) | Judge (ms) | Total (ms) | CPU (ms) | Resources / CPU-s | Peak RSS (MB) | Growth vs previous (wall / CPU / RSS) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  reports.forEach((report, index) => {
    const total = median(report.totalMs);
    const previous = reports[index - 1];
    const growth = previous
      ? `${(total / median(previous.totalMs)).toFixed(2)}x / ${(median(report.cpuMs) / median(previous.cpuMs)).toFixed(2)}x / ` +
        `${(report.peakRssMb / previous.peakRssMb).toFixed(2)}x`
      : '—';
    lines.push(
      `| ${report.scale}x | ${report.records.backendService} | ${report.records.networkEndpointGroup} | ` +
        `${report.records.gateway} | ${report.records.apiConfig} | ${report.resources} | ${report.results} | ` +
        `${report.failures} | ${median(report.buildMs).toFixed(0)} | ${median(report.evaluateMs).toFixed(0)} | ` +
        `${total.toFixed(0)} | ${median(report.cpuMs).toFixed(0)} | ${Math.round(report.resources / (median(report.cpuMs) / 1000)).toLocaleString('en-US')} | ` +
        `${report.peakRssMb.toFixed(0)} | ${growth} |`,
    );
  });
  lines.push(
    '',
    "Where the wall goes (medians): the main thread's CPU, and the GC pauses that began inside build + judge.",
    '',
    "| Scale | Wall (ms) | Main-thread CPU (ms) | Other threads' CPU (ms) | Scavenges | Scavenge pauses (ms) | Other GC pauses | Other GC (ms) | Growth vs previous (wall / main-thread CPU / scavenge ms) |",
    '|---|---|---|---|---|---|---|---|---|',
  );
  reports.forEach((report, index) => {
    const previous = reports[index - 1];
    const others = report.cpuMs.map((ms, rep) => ms - (report.mainCpuMs[rep] ?? 0));
    const growth = previous
      ? `${(median(report.totalMs) / median(previous.totalMs)).toFixed(2)}x / ` +
        `${(median(report.mainCpuMs) / median(previous.mainCpuMs)).toFixed(2)}x / ` +
        `${(median(report.minorGcMs) / median(previous.minorGcMs)).toFixed(2)}x`
      : '—';
    lines.push(
      `| ${report.scale}x | ${median(report.totalMs).toFixed(0)} | ${median(report.mainCpuMs).toFixed(0)} | ` +
        `${median(others).toFixed(0)} | ${median(report.minorGcs)} | ${median(report.minorGcMs).toFixed(0)} | ` +
        `${median(report.otherGcs)} | ${median(report.otherGcMs).toFixed(0)} | ${growth} |`,
    );
  });
  if (reports.some((report) => report.settleMs.length > 0)) {
    lines.push(
      '',
      'With --settle: the scavenge right after the window (copying what build + judge left young), and the total with it.',
      '',
      '| Scale | Settling scavenge (ms) | Total + settle (ms) | Growth vs previous |',
      '|---|---|---|---|',
    );
    const settled = (report: ScaleReport) =>
      median(report.totalMs.map((ms, rep) => ms + (report.settleMs[rep] ?? 0)));
    reports.forEach((report, index) => {
      const previous = reports[index - 1];
      lines.push(
        `| ${report.scale}x | ${median(report.settleMs).toFixed(0)} | ${settled(report).toFixed(0)} | ` +
          `${previous ? `${(settled(report) / settled(previous)).toFixed(2)}x` : '—'} |`,
      );
    });
  }
  lines.push('', 'All repetitions (total ms; main-thread CPU ms; scavenges):');
  for (const report of reports) {
    lines.push(
      `- ${report.scale}x: ${report.totalMs.map((ms) => ms.toFixed(0)).join(', ')}; ` +
        `${report.mainCpuMs.map((ms) => ms.toFixed(0)).join(', ')}; ${report.minorGcs.join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function parseList(text: string | undefined, fallback: readonly number[]): number[] {
  if (!text) return [...fallback];
  const values = text.split(',').map(Number);
  if (values.some((value) => !(value > 0))) throw new Error(`bench: not a list of positive numbers: ${text}`);
  return values;
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  const report = await measureScale(
    Number(args[1]),
    Number(args[2]),
    args[3] === 'all' ? 'all' : 'scan',
    args[4] === 'settle',
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  const flag = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const scales = parseList(flag('--scales'), [1, 2, 4]);
  const [repetitions = 5] = parseList(flag('--reps'), [5]);
  const path = flag('--path') ?? 'scan';
  if (path !== 'scan' && path !== 'all') throw new Error(`bench: --path is scan or all, not ${path}`);
  const reports = scales.map((scale) => {
    process.stderr.write(`bench: judging the ${scale}x estate ${repetitions} times...\n`);
    return runChild(scale, repetitions, path, args.includes('--settle'));
  });
  process.stdout.write(formatReport(reports));
  // The budget is for one core: CPU time is what judging costs whatever else the machine runs (wall time on a
  // shared machine mostly measures the neighbours). It counts GC helper threads too, so it errs high.
  const oneX = reports.find((report) => report.scale === 1);
  if (oneX && median(oneX.cpuMs) >= 3000) {
    process.stderr.write(
      `bench: judging the 1x estate took ${median(oneX.cpuMs).toFixed(0)} ms of CPU (budget 3000 ms)\n`,
    );
    process.exitCode = 1;
  }
}
