// Where a sweep's memory and time go while it commits (issue 14): the one-project estate of bench:sweep-memory swept
// in THIS process (composed from the environment as onSweep is), with the judgement store wrapped to record, per
// commit, its wall time and the heap (live heap after a forced GC every --gc-every commits; run node with
// --expose-gc). Heap snapshots at chosen commits with --snapshot-at 1,50,100 (written to the working directory).
//   node --expose-gc --max-old-space-size=256 --max-semi-space-size=1 dist/bench/sweep-commit-probe.js --scale 0.2
// --alloc-profile FILE samples what the commits allocate (collected objects included) and prints the top functions.

import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { composeFromEnvironment } from '../functions/compose.js';
import { sweepProject } from '../src/app/sweep-project.js';
import type { JudgementStore } from '../src/ports/judgement-store.js';
import { jsonLogger } from '../src/ports/logger.js';
import { startFirestoreEmulator } from '../test/support/emulators.js';
import { ONE_PROJECT } from './generate-estate.js';
import { startSimulatorProcess } from './simulator-process.js';

function flag(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

const args = process.argv.slice(2);
const scale = Number(flag(args, '--scale') ?? '0.2');
const gcEvery = Number(flag(args, '--gc-every') ?? '10');
/** Where to write a sampling allocation profile of the commits (collected objects included), by function. */
const allocationProfile = flag(args, '--alloc-profile');
const snapshotAt = new Set((flag(args, '--snapshot-at') ?? '').split(',').filter(Boolean).map(Number));
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => Math.round(bytes / 1048576);

/** RSS by kind of mapping: the brk heap (malloc's main arena), other anonymous memory (V8's pages, malloc's other
 * arenas, thread stacks) and file-backed (code). */
function mappings(): string {
  const totals = { brk: 0, anon: 0, file: 0 };
  let kind: keyof typeof totals = 'anon';
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (header) {
      const path = header[1] ?? '';
      kind = path === '[heap]' ? 'brk' : path.startsWith('/') ? 'file' : 'anon';
    } else if (line.startsWith('Rss:')) {
      totals[kind] += Number(/\d+/.exec(line)?.[0] ?? 0) * 1024;
    }
  }
  return `[brk ${mb(totals.brk)} anon ${mb(totals.anon)} file ${mb(totals.file)}]`;
}

function heapLine(label: string, forceGc: boolean): string {
  if (forceGc && gc) gc();
  const usage = process.memoryUsage();
  const v8 = getHeapStatistics();
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return `${label} rss ${mb(usage.rss)} hwm ${Math.round(Number(hwm) / 1024)} heapUsed ${mb(usage.heapUsed)} heapTotal ${mb(usage.heapTotal)} external ${mb(usage.external)} arrayBuffers ${mb(usage.arrayBuffers)} ${mappings()} v8 physical ${mb(v8.total_physical_size)} malloced ${mb(v8.malloced_memory)} peak malloced ${mb(v8.peak_malloced_memory)}${forceGc ? ' (after gc)' : ''}`;
}

const inspector = new Session();

async function startAllocationProfile(): Promise<void> {
  inspector.connect();
  await inspector.post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}

/** The profile (open it in Chrome DevTools), and on stdout the functions that allocated most, by self size. */
async function writeAllocationProfile(path: string): Promise<void> {
  const { profile } = await inspector.post('HeapProfiler.stopSampling');
  writeFileSync(path, JSON.stringify(profile));
  const bySite = new Map<string, number>();
  const visit = (node: typeof profile.head): void => {
    const { functionName, url, lineNumber } = node.callFrame;
    const site = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '')}:${lineNumber + 1}`;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  const top = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 40);
  process.stdout.write(
    `allocated during the commits, by function (sampled):\n${top.map(([site, bytes]) => `${String(mb(bytes)).padStart(6)} MB  ${site}`).join('\n')}\n`,
  );
}

const emulator = await startFirestoreEmulator();
process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
// The simulator child is bench:sweep-memory's own serving mode.
const simulator = await startSimulatorProcess(new URL('./sweep-memory.js', import.meta.url).href, [
  String(scale),
  '0',
]);
const log = jsonLogger((line) => {
  if (!line.includes('"debug"')) process.stderr.write(line);
});
try {
  const deps = await composeFromEnvironment({
    env: {
      GOOGLE_CLOUD_PROJECT: `gw-probe-${Date.now().toString(36)}`,
      FIRESTORE_EMULATOR_HOST: emulator.host,
      GATEWARDEN_API_ENDPOINT: simulator.url,
      GATEWARDEN_SWEEP_PROJECTS: ONE_PROJECT,
    },
    log,
  });
  process.stdout.write(`${heapLine('composed', true)}\n`);
  let commits = 0;
  let resources = 0;
  const started = performance.now();
  const judgements: JudgementStore = {
    isProcessed: (id) => deps.judgements.isProcessed(id),
    async commit(request) {
      // Forced only when asked to (--gc-every): the function process collects when V8 decides.
      if (commits === 0) {
        process.stdout.write(`${heapLine('before the first commit', gcEvery < 1000)}\n`);
        if (allocationProfile) await startAllocationProfile();
      }
      const at = performance.now();
      const result = await deps.judgements.commit(request);
      commits += 1;
      resources += request.resources.length;
      const ms = Math.round(performance.now() - at);
      const line = `commit ${commits} (${request.resources.length} resources, ${resources} so far) ${ms} ms, t=${Math.round((performance.now() - started) / 1000)} s`;
      process.stdout.write(`${heapLine(line, commits % gcEvery === 0)}\n`);
      if (snapshotAt.has(commits)) {
        gc?.();
        process.stdout.write(`heap snapshot ${writeHeapSnapshot()}\n`);
      }
      return result;
    },
  };
  // Phases seen from the ports the sweep calls: records read, then (after judging) which resources have findings.
  let judged = false;
  // Instances of adapter classes: an object inheriting from each, with the one method wrapped.
  const source: typeof deps.source = Object.create(deps.source);
  Object.assign(source, {
    readInventory: async (projects: readonly string[]) => {
      const inventory = await deps.source.readInventory(projects);
      process.stdout.write(`${heapLine('records read', false)}\n`);
      return inventory;
    },
  });
  const findings: typeof deps.findings = Object.create(deps.findings);
  Object.assign(findings, {
    resourcesWithFindings: (...args: Parameters<typeof deps.findings.resourcesWithFindings>) => {
      if (!judged) process.stdout.write(`${heapLine('judged', false)}\n`);
      judged = true;
      return deps.findings.resourcesWithFindings(...args);
    },
  });
  const outcome = await sweepProject(ONE_PROJECT, { ...deps, source, findings, judgements });
  if (allocationProfile) await writeAllocationProfile(allocationProfile);
  process.stdout.write(`${heapLine('swept', true)}\n${JSON.stringify(outcome)}\n`);
} finally {
  simulator.stop();
  await emulator.stop();
}
