// Sweep-path memory bench (issue 14): one project of the generated size, served by the simulator in its own process,
// swept by the real onSweep under the real Functions Framework in a child process (the process that would be the
// Cloud Function, 512 MiB in production), committed to the Firestore emulator. Reports that process's peak RSS
// (VmHWM), CPU and wall time for a first sweep (every finding opened) and an unchanged second sweep (each in a fresh
// process), and checks the stored findings equal those of `gatewarden scan --estate` on the same records.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFirestore } from '../src/adapters/firestore/client.js';
import { createFirestoreStores } from '../src/adapters/firestore/stores.js';
import { freePort, startFirestoreEmulator } from '../test/support/emulators.js';
import { REPO_ROOT } from '../test/support/repository-root.js';
import { compareFindings, describeComparison, type ScannedFinding } from './findings-comparison.js';
import { countRecords, generateEstate, ONE_PROJECT, writeEstate } from './generate-estate.js';
import { SERVE_FLAG, serveUntilStdinEnds, startSimulatorProcess } from './simulator-process.js';

const FRAMEWORK_MAIN = join(REPO_ROOT, 'node_modules/@google-cloud/functions-framework/build/src/main.js');
const CLOCK_TICKS_PER_SECOND = 100;
const SWEEP_TOPIC = 'gatewarden-sweep';

interface SweepMeasure {
  readonly wallMs: number;
  /** user + system CPU of the function process during the sweep. */
  readonly cpuMs: number;
  /** VmHWM of the function process: its peak RSS since it started (framework, composition and the sweep). */
  readonly peakRssMb: number;
  /** RSS once the framework listened, before the first invocation composed anything. */
  readonly idleRssMb: number;
  readonly finished: Readonly<Record<string, unknown>>;
  /** Why the function process died during the sweep (the last line it wrote on stderr), when it did. */
  readonly crashed?: string;
}

interface ScaleRun {
  readonly scale: number;
  readonly records: number;
  readonly first: SweepMeasure;
  readonly second: SweepMeasure;
  readonly load: string;
}

interface FunctionProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly logs: Record<string, unknown>[];
  stderr(): string;
}

/** onSweep served by the Functions Framework, started with node directly so its pid is the function's process. */
async function startOnSweep(env: Readonly<Record<string, string>>, nodeArgs: readonly string[]) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...nodeArgs, FRAMEWORK_MAIN, '--target=onSweep', `--port=${port}`, '--signature-type=cloudevent'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...env },
    },
  );
  const logs: Record<string, unknown>[] = [];
  let pending = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ message: line });
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`functions-framework exited (${child.exitCode}):\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`functions-framework did not listen on ${url}:\n${stderr}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      await new Promise((done) => setTimeout(done, 150));
    }
  }
  return { child, url, logs, stderr: () => stderr } satisfies FunctionProcess;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
}

function procCpuMs(pid: number): number {
  // Fields after the parenthesised command name: state is 3rd, utime 14th, stime 15th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** POSTs without a client timeout: a large sweep answers when it is done, which may take minutes. */
function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (answer) => {
        answer.resume();
        answer.on('end', () => resolve(answer.statusCode ?? 0));
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

/** One sweep of ONE_PROJECT pushed to a fresh onSweep process, measured from the outside. */
async function measureSweep(
  env: Readonly<Record<string, string>>,
  nodeArgs: readonly string[],
): Promise<SweepMeasure> {
  const served = await startOnSweep(env, nodeArgs);
  const pid = served.child.pid as number;
  try {
    const idleRssMb = procStatus(pid, 'VmRSS');
    const topic = `projects/${env.GOOGLE_CLOUD_PROJECT}/topics/${SWEEP_TOPIC}`;
    const body = JSON.stringify({
      subscription: `projects/${env.GOOGLE_CLOUD_PROJECT}/subscriptions/sweep-push`,
      message: {
        data: Buffer.from(JSON.stringify({ projects: [ONE_PROJECT] })).toString('base64'),
        messageId: `sweep-memory-${Date.now()}`,
        publishTime: new Date().toISOString(),
      },
    });
    let cpuMs = 0;
    let peakRssMb = idleRssMb;
    const cpuBefore = procCpuMs(pid);
    // Read as it goes too: a process that runs out of memory takes its /proc entry with it.
    const watch = setInterval(() => {
      try {
        // A dying process's status has no VmHWM any more: keep the last figure read.
        peakRssMb = Math.max(peakRssMb, procStatus(pid, 'VmHWM') || 0);
        cpuMs = Math.max(cpuMs, procCpuMs(pid) - cpuBefore || 0);
      } catch {
        // Gone.
      }
    }, 100);
    const started = performance.now();
    let status: number | undefined;
    try {
      status = await post(`${served.url}/${topic}`, body);
      peakRssMb = procStatus(pid, 'VmHWM');
      cpuMs = procCpuMs(pid) - cpuBefore;
    } catch {
      // The connection dropped: the process died (read below).
    } finally {
      clearInterval(watch);
    }
    const wallMs = performance.now() - started;
    if (status === undefined) {
      await new Promise((done) => setTimeout(done, 500));
      const lines = served.stderr().trim().split('\n');
      const reason = lines.find((line) => /out of memory|FATAL/i.test(line)) ?? lines.at(-1) ?? 'no output';
      return { wallMs, cpuMs, peakRssMb, idleRssMb, finished: {}, crashed: reason.trim().slice(0, 160) };
    }
    if (status !== 204) throw new Error(`onSweep answered ${status}:\n${served.stderr()}`);
    const finished = served.logs.find((line) => line.message === 'sweep finished');
    if (!finished) throw new Error(`onSweep logged no 'sweep finished':\n${served.stderr()}`);
    return { wallMs, cpuMs, peakRssMb, idleRssMb, finished };
  } finally {
    await stopProcess(served.child);
  }
}

const execFileAsync = promisify(execFile);

/** `gatewarden scan --estate` of the same records (the built binary), and the findings the sweep stored. */
async function sweepAgainstScan(scale: number, firestoreProject: string) {
  const dir = mkdtempSync(join(tmpdir(), 'gatewarden-sweep-memory-'));
  try {
    writeEstate(generateEstate({ scale, oneProject: true }), join(dir, 'estate'));
    const out = join(dir, 'scan.json');
    await execFileAsync(
      process.execPath,
      ['bin/gatewarden.js', 'scan', '--estate', join(dir, 'estate'), '--format', 'json', '--out', out],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const scanned = (JSON.parse(readFileSync(out, 'utf8')) as { findings: ScannedFinding[] }).findings;
    const db = createFirestore({ projectId: firestoreProject });
    try {
      const swept = await createFirestoreStores(db).findings.query({
        project: ONE_PROJECT,
        states: ['open', 'muted', 'undetermined'],
      });
      return compareFindings(swept, scanned);
    } finally {
      await db.terminate();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The heap limits V8 derives for a function instance of `memoryMb` (Node sizes the heap from the container's memory
 * limit): old space a quarter of memory times the pointer multiplier (2 on Node's 64-bit builds, no pointer
 * compression), and under 256 MB of old space the low-memory semi-space of old/256, at least 1 MB. The machine this
 * runs on has far more memory, so without these flags V8 would let garbage grow the RSS well past what an instance sees.
 */
function heapFlagsFor(memoryMb: number): string[] {
  const oldSpaceMb = Math.floor(memoryMb / 2);
  const semiSpaceMb = Math.max(1, Math.floor(oldSpaceMb / (oldSpaceMb <= 256 ? 256 : 128)));
  return [`--max-old-space-size=${oldSpaceMb}`, `--max-semi-space-size=${semiSpaceMb}`];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function flag(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (mb: number) => `${Math.round(mb)} MB`;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const args = process.argv.slice(2);
if (args[0] === SERVE_FLAG) {
  await serveUntilStdinEnds({
    inventory: generateEstate({ scale: Number(args[1]), oneProject: true }),
    faults: Number(args[2]) > 0 ? [{ path: '/**', latencyMs: Number(args[2]) }] : [],
  });
} else {
  const scales = (flag(args, '--scales') ?? '1,2').split(',').map(Number);
  const runs = Number(flag(args, '--runs') ?? '1');
  const latencyMs = Number(flag(args, '--latency') ?? '0');
  const budgetMb = Number(flag(args, '--budget-mb') ?? '300');
  // Issue 14's budget is for one project of its size (38,010 resources; 0.7x is 38,277 records): larger scales are
  // reported, not judged against it (a 1x sweep at 299 MB is no failure of a target it was never given).
  const budgetUpTo = Number(flag(args, '--budget-up-to-scale') ?? '0.7');
  const memoryMb = Number(flag(args, '--memory-mb') ?? '512');
  // The heap V8 gives an instance of that memory, or the machine's default with --memory-mb 0; more with --node-options.
  const nodeArgs = [
    ...(memoryMb > 0 ? heapFlagsFor(memoryMb) : []),
    ...(flag(args, '--node-options') ?? '').split(' ').filter(Boolean),
  ];
  if (
    scales.some((value) => !(value > 0)) ||
    !(runs >= 1) ||
    !(latencyMs >= 0) ||
    !(budgetMb > 0) ||
    !(budgetUpTo > 0) ||
    !(memoryMb >= 0)
  ) {
    process.stderr.write(
      'usage: sweep-memory [--scales 1,2] [--runs 1] [--latency 0] [--budget-mb 300] [--budget-up-to-scale 0.7] [--memory-mb 512] [--node-options "..."]\n',
    );
    process.exit(2);
  }
  const emulator = await startFirestoreEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  const lines = [
    `Function process: node ${process.versions.node}, Functions Framework onSweep${nodeArgs.length > 0 ? ` (${nodeArgs.join(' ')})` : ''}; simulator latency ${latencyMs} ms; medians of ${runs}.`,
    `Budget: peak RSS <= ${budgetMb} MB at ${budgetUpTo}x and below (issue 14's size); larger scales are reported only.`,
    '',
    '| scale | records | first sweep wall | CPU | peak RSS | unchanged sweep wall | CPU | peak RSS | idle RSS | load (1/5/15) |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  const comparisons: string[] = [];
  const crashes: string[] = [];
  let failed = false;
  try {
    for (const scale of scales) {
      const records = Object.values(countRecords(generateEstate({ scale, oneProject: true }))).reduce(
        (sum, count) => sum + count,
        0,
      );
      const simulator = await startSimulatorProcess(import.meta.url, [String(scale), String(latencyMs)]);
      const scaleRuns: ScaleRun[] = [];
      try {
        for (let run = 1; run <= runs; run++) {
          const firestoreProject = `gw-sweep-mem-${Date.now().toString(36)}`;
          const env = {
            GOOGLE_CLOUD_PROJECT: firestoreProject,
            FIRESTORE_EMULATOR_HOST: emulator.host,
            GATEWARDEN_API_ENDPOINT: simulator.url,
            GATEWARDEN_SWEEP_PROJECTS: ONE_PROJECT,
          };
          process.stderr.write(
            `bench: ${scale}x (${records.toLocaleString('en')} records), run ${run}: first sweep...\n`,
          );
          const first = await measureSweep(env, nodeArgs);
          process.stderr.write(
            `bench:   ${seconds(first.wallMs)}, peak ${megabytes(first.peakRssMb)}${first.crashed ? ` CRASHED: ${first.crashed}` : ''}; unchanged sweep...\n`,
          );
          const second = first.crashed ? first : await measureSweep(env, nodeArgs);
          process.stderr.write(`bench:   ${seconds(second.wallMs)}, peak ${megabytes(second.peakRssMb)}\n`);
          scaleRuns.push({ scale, records, first, second, load: load() });
          const crash = first.crashed ? first : second.crashed ? second : undefined;
          if (crash) {
            crashes.push(
              `${scale}x run ${run}: the function process died at ${megabytes(crash.peakRssMb)} (${crash.crashed})`,
            );
            failed = true;
          } else if (run === 1) {
            const comparison = await sweepAgainstScan(scale, firestoreProject);
            comparisons.push(`${scale}x: ${describeComparison(comparison)}`);
            failed ||= !comparison.same;
            const transitions = Number(second.finished.transitions);
            if (transitions !== 0) {
              comparisons.push(`${scale}x: the unchanged sweep made ${transitions} transitions (expected 0)`);
              failed = true;
            }
          }
        }
      } finally {
        simulator.stop();
      }
      const of = (pick: (run: ScaleRun) => number) => median(scaleRuns.map(pick));
      const peak = Math.max(
        of((run) => run.first.peakRssMb),
        of((run) => run.second.peakRssMb),
      );
      const overBudget = scale <= budgetUpTo && peak > budgetMb;
      failed ||= overBudget;
      // A run that died shows as such: its wall time and CPU are up to the crash, its RSS the last read.
      const died = (pick: (run: ScaleRun) => SweepMeasure) =>
        scaleRuns.some((run) => pick(run).crashed) ? ' (died)' : '';
      lines.push(
        `| ${scale}x | ${records.toLocaleString('en')} | ${seconds(of((run) => run.first.wallMs))}${died((run) => run.first)} | ${seconds(of((run) => run.first.cpuMs))} | ${megabytes(of((run) => run.first.peakRssMb))} | ${seconds(of((run) => run.second.wallMs))}${died((run) => run.second)} | ${seconds(of((run) => run.second.cpuMs))} | ${megabytes(of((run) => run.second.peakRssMb))} | ${megabytes(of((run) => run.first.idleRssMb))} | ${scaleRuns.map((run) => run.load).join('; ')} |`,
      );
    }
  } finally {
    await emulator.stop();
  }
  if (crashes.length > 0) lines.push('', ...crashes);
  lines.push(
    '',
    'Findings stored by the sweep vs `gatewarden scan --estate` on the same records:',
    ...comparisons,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  if (failed) {
    process.stderr.write(
      `bench: FAILED (findings differ from the scan's, the unchanged sweep moved, or a peak RSS at ${budgetUpTo}x or below is over ${budgetMb} MB)\n`,
    );
    process.exitCode = 1;
  }
}
