// Runs one command in a worker thread with resource limits (worker-sizing.ts says when), as if it ran in this one:
// the same output on the same streams in the same order, the same exit code; a crash is an internal error (70).

import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { elideMiddle } from '../domain/elide-middle.js';
import { type CliIo, EXIT_INTERNAL_ERROR, internalErrorText } from './io.js';
import { escapeForTerminal, isTerminal } from './terminal-text.js';
import type { WorkerSizing } from './worker-sizing.js';

// main.ts takes both modules in one import: each import is a round trip before the worker can start.
export { workerSizingFor } from './worker-sizing.js';

/** What the worker is started with (`workerData`): structured-cloneable. */
export interface WorkerRequest {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** V8's growing factor at the worker's first full collection (heap-growth.ts). */
  readonly firstHeapGrowingPercent: number;
}

/** What the worker posts: a piece of output (already escaped where the command escapes it), then its exit code. */
export type WorkerMessage =
  | { readonly started: true }
  | { readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly exitCode: number };

/**
 * The worker thread could not be started at all (`new Worker` threw: no thread could be created, ERR_WORKER_INIT_FAILED
 * under a process limit), or its module did not load (a bundle cut short by an interrupted build, a chunk missing from
 * it). Nothing has run yet, so the command can still run in this thread.
 */
export class WorkerStartError extends Error {
  override readonly name = 'WorkerStartError';
  constructor(readonly reason: string) {
    super(`could not start a worker thread (${reason})`);
  }
}

/** The worker's module: runCli over streams that post to this thread. */
const WORKER_MODULE = new URL('./worker-entry.js', import.meta.url);
/** The same module bundled with every module of ours it imports (scripts/bundle-worker.ts, run by npm run build). */
const BUNDLED_WORKER_MODULE = new URL('../../worker/worker-entry.js', import.meta.url);

/**
 * The bundle when it was made from the modules as they are, the modules otherwise: tsc alone (a bench's build, a
 * test's) writes every module again and leaves an older bundle behind, which must not run in their place. A missing
 * bundle (a build that never made one) is older than anything; one as old as the modules is theirs (npm pack gives
 * every file of a package one time). Two stats: well under a millisecond.
 */
export function workerModule(modules: URL = WORKER_MODULE, bundled: URL = BUNDLED_WORKER_MODULE): URL {
  const modulesWritten = statSync(modules, { throwIfNoEntry: false })?.mtimeMs;
  const bundleWritten = statSync(bundled, { throwIfNoEntry: false })?.mtimeMs;
  return bundleWritten !== undefined && (modulesWritten === undefined || bundleWritten >= modulesWritten)
    ? bundled
    : modules;
}

/**
 * `entry` is the worker's module (tests hand in one that fails). Rejects with WorkerStartError when no worker could be
 * started; once one has started, every outcome is an exit code.
 */
export function runCliInWorker(
  argv: readonly string[],
  streams: CliIo,
  sizing: WorkerSizing,
  entry: URL = workerModule(),
): Promise<number> {
  const request: WorkerRequest = {
    argv: [...argv],
    env: { ...streams.env },
    stdoutIsTTY: isTerminal(streams.stdout),
    stderrIsTTY: isTerminal(streams.stderr),
    firstHeapGrowingPercent: sizing.firstHeapGrowingPercent,
  };
  let worker: Worker;
  try {
    worker = new Worker(entry, {
      workerData: request,
      resourceLimits: { maxYoungGenerationSizeMb: sizing.maxYoungGenerationSizeMb },
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return Promise.reject(
      new WorkerStartError(
        typeof code === 'string' ? code : error instanceof Error ? error.message : String(error),
      ),
    );
  }
  return new Promise((resolve, reject) => {
    let started = false;
    let notLoaded: WorkerStartError | undefined;
    let exitCode: number | undefined;
    let crashed = false;
    worker.on('message', (message: WorkerMessage) => {
      if ('started' in message) started = true;
      else if ('exitCode' in message) exitCode = message.exitCode;
      else if (message.stream === 'stdout') streams.stdout.write(message.text);
      else streams.stderr.write(message.text);
    });
    worker.on('error', (error) => {
      // Before the worker says it started, its module did not load (worker-entry.ts says so first): no command ran.
      if (!started) {
        notLoaded = new WorkerStartError(`its module did not load: ${errorSummary(error)}`);
        return;
      }
      // An exception nothing in the command caught (runCli catches every error a command throws), or the worker's
      // heap exhausted: what an uncaught exception would have been in this thread, reported as runCli reports a bug.
      crashed = true;
      streams.stderr.write(escapeForTerminal(internalErrorText(argv[0] ?? '', error)));
    });
    // Messages posted before the worker stopped are delivered before 'exit'.
    worker.on('exit', () => {
      if (notLoaded) reject(notLoaded);
      else resolve(crashed || exitCode === undefined ? EXIT_INTERNAL_ERROR : exitCode);
    });
  });
}

/** One line for a module that did not load: its code and message, cut short (a path may be long). */
function errorSummary(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message =
    (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0] ?? '';
  return elideMiddle(typeof code === 'string' ? `${code}, ${message}` : message, 300);
}
