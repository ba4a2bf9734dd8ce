// Sweep benchmark: per-project sweeps (read with aggregatedList through googleapis, judge, snapshots, reconcile) of a
// generated estate served by the simulator with injected latency, at fan-out 1 (one instance, project after project)
// and fan-out 10 (ten instances, as the Pub/Sub fan-out runs them); then a second, unchanged sweep against the
// Firestore emulator, counting what it writes (it must write nothing to findings/).

import type { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '../src/adapters/firestore/client.js';
import { createFirestoreStores } from '../src/adapters/firestore/stores.js';
import { createGoogleApisSource } from '../src/adapters/googleapis/googleapis-source.js';
import { MemoryStore } from '../src/adapters/memory/store.js';
import { type SweepOutcome, sweepProject } from '../src/app/sweep-project.js';
import type { Inventory } from '../src/domain/inventory.js';
import { DEFAULT_POLICY } from '../src/engine/policy.js';
import { systemClock } from '../src/ports/clock.js';
import { silentLogger } from '../src/ports/logger.js';
import type { Stores } from '../src/ports/stores.js';
import { ALL_RULES } from '../src/rules/catalogue.js';
import { startFirestoreEmulator } from '../test/support/emulators.js';
import { countRecords, generateEstate } from './generate-estate.js';
import {
  projectsOf,
  SERVE_FLAG,
  serveUntilStdinEnds,
  simulatorRequests,
  startSimulatorProcess,
} from './simulator-process.js';

interface FanOutRun {
  readonly fanOut: number;
  readonly wallMs: number;
  readonly calls: number;
  readonly cpuMs: number;
  readonly failing: number;
  readonly transitions: number;
}

/** The first `projects` projects of the generated estate (50 per scale unit). */
function estateOf(projects: number): Inventory {
  return generateEstate({ scale: projects / 50 });
}

/** `fanOut` instances, each with its own API client (as separate function instances would have), share the projects. */
async function sweepAll(
  url: string,
  projects: readonly string[],
  fanOut: number,
  stores: Stores,
): Promise<{ wallMs: number; cpuMs: number; outcomes: SweepOutcome[] }> {
  const queue = [...projects];
  const outcomes: SweepOutcome[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: fanOut }, async () => {
      const source = await createGoogleApisSource({ endpoint: url });
      for (let project = queue.shift(); project !== undefined; project = queue.shift()) {
        outcomes.push(
          await sweepProject(project, {
            source,
            snapshots: stores.snapshots,
            findings: stores.findings,
            judgements: stores.judgements,
            rules: ALL_RULES,
            policy: DEFAULT_POLICY,
            clock: systemClock,
            log: silentLogger,
          }),
        );
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, outcomes };
}

async function fanOutRun(url: string, projects: readonly string[], fanOut: number): Promise<FanOutRun> {
  await simulatorRequests(url, true);
  const { wallMs, cpuMs, outcomes } = await sweepAll(url, projects, fanOut, new MemoryStore());
  return {
    fanOut,
    wallMs,
    calls: (await simulatorRequests(url, true)).length,
    cpuMs,
    failing: outcomes.reduce((sum, outcome) => sum + outcome.failing, 0),
    transitions: outcomes.reduce((sum, outcome) => sum + outcome.transitions, 0),
  };
}

async function findingsFingerprint(db: Firestore): Promise<string> {
  const snapshot = await db.collection('findings').get();
  return snapshot.docs
    .map((doc) => `${doc.id}@${doc.updateTime.toMillis()}`)
    .sort()
    .join('\n');
}

/** First sweep fills the emulator; the second, with nothing changed, is counted. */
async function unchangedTwice(url: string, projects: readonly string[], fanOut: number) {
  const emulator = await startFirestoreEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  const db = createFirestore({ projectId: `gw-bench-${Date.now().toString(36)}` });
  try {
    const stores = createFirestoreStores(db);
    const first = await sweepAll(url, projects, fanOut, stores);
    // One count for every document the commits wrote: findings, history, outbox and (since they are committed with
    // the judgement) snapshots and their index documents.
    const findingWritesAfterFirst = stores.writes();
    const before = await findingsFingerprint(db);
    const second = await sweepAll(url, projects, fanOut, stores);
    const after = await findingsFingerprint(db);
    return {
      firstWallMs: first.wallMs,
      firstFindingWrites: findingWritesAfterFirst,
      firstSnapshotWrites: first.outcomes.reduce((sum, outcome) => sum + outcome.snapshotsWritten, 0),
      secondWallMs: second.wallMs,
      secondFindingWrites: stores.writes() - findingWritesAfterFirst,
      secondSnapshotWrites: second.outcomes.reduce((sum, outcome) => sum + outcome.snapshotsWritten, 0),
      secondTransitions: second.outcomes.reduce((sum, outcome) => sum + outcome.transitions, 0),
      findingsUnchanged: before === after,
      findingDocuments: before.split('\n').length,
    };
  } finally {
    await db.terminate();
    await emulator.stop();
  }
}

function flag(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const thousands = (value: number) => value.toLocaleString('en');

const args = process.argv.slice(2);
if (args[0] === SERVE_FLAG) {
  await serveUntilStdinEnds({
    inventory: estateOf(Number(args[1])),
    faults: [{ path: '/**', latencyMs: Number(args[2]) }],
  });
} else {
  const projectCount = Number(flag(args, '--projects') ?? '20');
  const latencyMs = Number(flag(args, '--latency') ?? '50');
  const fanOuts = (flag(args, '--fan-outs') ?? '1,10').split(',').map(Number);
  const withFirestore = !args.includes('--no-firestore');
  if (!(projectCount > 0) || !(latencyMs >= 0) || fanOuts.some((value) => !(value >= 1))) {
    process.stderr.write('usage: sweep [--projects 20] [--latency 50] [--fan-outs 1,10] [--no-firestore]\n');
    process.exit(2);
  }
  const inventory = estateOf(projectCount);
  const projects = projectsOf(inventory);
  const simulator = await startSimulatorProcess(import.meta.url, [String(projectCount), String(latencyMs)]);
  try {
    const records = countRecords(inventory);
    process.stderr.write(
      `bench: ${projects.length} projects, ${latencyMs} ms latency: ${JSON.stringify(records)}\n`,
    );
    const runs: FanOutRun[] = [];
    for (const fanOut of fanOuts) {
      process.stderr.write(`bench: sweep at fan-out ${fanOut}...\n`);
      runs.push(await fanOutRun(simulator.url, projects, fanOut));
    }
    const lines = [
      `Estate: ${projects.length} projects; ${Object.entries(records)
        .map(([kind, count]) => `${kind} ${thousands(count)}`)
        .join(', ')}; ${latencyMs} ms latency on every call.`,
      '',
      '| fan-out | wall time | API calls | failing results | transitions | CPU of this process |',
      '|---|---|---|---|---|---|',
      ...runs.map(
        (run) =>
          `| ${run.fanOut} | ${seconds(run.wallMs)} | ${thousands(run.calls)} | ${thousands(run.failing)} | ${thousands(run.transitions)} | ${seconds(run.cpuMs)} |`,
      ),
    ];
    const [base, ...rest] = runs;
    for (const run of rest) {
      if (base) {
        lines.push(
          '',
          `Fan-out ${run.fanOut} vs ${base.fanOut}: wall time x${(base.wallMs / run.wallMs).toFixed(2)} faster, API calls ratio ${(run.calls / base.calls).toFixed(2)}.`,
        );
      }
    }
    let failed = runs.some((run) => run.calls !== base?.calls);
    if (withFirestore) {
      process.stderr.write('bench: two sweeps against the Firestore emulator...\n');
      const twice = await unchangedTwice(simulator.url, projects, Math.max(...fanOuts));
      lines.push(
        '',
        `Firestore emulator, fan-out ${Math.max(...fanOuts)}: first sweep ${seconds(twice.firstWallMs)} wrote ${thousands(twice.firstFindingWrites)} documents (findings, history, outbox, snapshots and their index documents), ${thousands(twice.firstSnapshotWrites)} of them snapshots (${thousands(twice.findingDocuments)} findings).`,
        `Second, unchanged sweep: ${seconds(twice.secondWallMs)}, ${twice.secondFindingWrites} writes to findings/ (history and outbox included), ${twice.secondSnapshotWrites} snapshot writes, ${twice.secondTransitions} transitions; findings/ update times unchanged: ${twice.findingsUnchanged}.`,
      );
      failed ||=
        twice.secondFindingWrites !== 0 || !twice.findingsUnchanged || twice.secondSnapshotWrites !== 0;
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    if (failed) {
      process.stderr.write('bench: FAILED (calls differ between fan-outs, or the unchanged sweep wrote)\n');
      process.exitCode = 1;
    }
  } finally {
    simulator.stop();
  }
}
