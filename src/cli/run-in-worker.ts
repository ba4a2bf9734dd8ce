// Runs one command in a worker thread with resource limits (worker-sizing.ts says when), as if it ran in this one:
// the same output on the same streams in the same order, the same exit code; a crash is an internal error (70).

import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { AheadRequest } from './api-configs-worker.js';
import { type CliIo, EXIT_INTERNAL_ERROR, internalErrorText } from './io.js';
import { escapeForTerminal, isTerminal } from './terminal-text.js';
import { scanEstateOf, type WorkerSizing } from './worker-sizing.js';

export { workerSizingFor } from './worker-sizing.js';

/** What the worker is started with (`workerData`): structured-cloneable. */
export interface WorkerRequest {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Where the helper posts the estate's API-config analyses (api-configs-ahead.ts) for a scan of an estate. */
  readonly analyses?: MessagePort;
}

/** What the worker posts: a piece of output (already escaped where the command escapes it), then its exit code. */
export type WorkerMessage =
  | { readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly exitCode: number };

/** The worker's module: runCli over streams that post to this thread. */
const WORKER_ENTRY = new URL('./worker-entry.js', import.meta.url);

/** The helper's module: analyses the API configs for the worker (api-configs-worker.ts). */
const AHEAD_ENTRY = new URL('./api-configs-worker.js', import.meta.url);

/**
 * The helper's young generation: it keeps one record and the analyses alive, the rest is a YAML parser's garbage,
 * so a small one suffices, and each page it touches is a page the scan's worker reuses later rather than a new one.
 */
const AHEAD_YOUNG_GENERATION_MB = 4;

/**
 * Its old generation: an export up to AHEAD_MAX_BYTES parsed whole needs a few times that. A config that would need
 * more (hostile aliases, deep documents) ends the helper (ERR_WORKER_OUT_OF_MEMORY, dropped), not the process.
 */
const AHEAD_OLD_GENERATION_MB = 128;

/**
 * Whether a helper analyses the API configs ahead of the worker: only with GATEWARDEN_ANALYSE_AHEAD=1. It takes
 * ~40 ms of CPU off the worker's path, but on the two-core session host, quiet (load ~2, 15 runs interleaved), the
 * whole scan took the same wall with and without it (0.98 s) for +12 MB peak RSS and +0.18 s CPU: the helper's
 * boot, its compiles and collections on V8's shared threads slowed the worker's start and loading by about what its
 * judge gained (BENCHMARKS.md, "Around the worker"). Kept behind the setting for machines where that differs:
 * `npm run bench:cli-floor -- --env GATEWARDEN_ANALYSE_AHEAD=0 --env GATEWARDEN_ANALYSE_AHEAD=1` compares both.
 */
export function analyseAheadFor(env: CliIo['env']): boolean {
  return env.GATEWARDEN_ANALYSE_AHEAD === '1';
}

/**
 * Starts the helper that posts DIR's API-config analyses on `port` (api-configs-worker.ts). It never holds the
 * process open (unref) and its errors are dropped: the scan's worker computes whatever does not arrive.
 */
export function startAheadHelper(dir: string, port: MessagePort): Worker {
  const helper = new Worker(AHEAD_ENTRY, {
    workerData: { dir, port } satisfies AheadRequest,
    transferList: [port],
    resourceLimits: {
      maxYoungGenerationSizeMb: AHEAD_YOUNG_GENERATION_MB,
      maxOldGenerationSizeMb: AHEAD_OLD_GENERATION_MB,
    },
  });
  helper.on('error', () => undefined);
  helper.unref();
  return helper;
}

/**
 * `entry` is the worker's module (tests hand in one that fails); `analyseAhead` whether a helper thread analyses
 * the estate's API configs for the worker while it starts and loads (tests ask for it either way).
 */
export function runCliInWorker(
  argv: readonly string[],
  streams: CliIo,
  sizing: WorkerSizing,
  entry: URL = WORKER_ENTRY,
  analyseAhead: boolean = analyseAheadFor(streams.env),
): Promise<number> {
  const request: WorkerRequest = {
    argv: [...argv],
    env: { ...streams.env },
    stdoutIsTTY: isTerminal(streams.stdout),
    stderrIsTTY: isTerminal(streams.stderr),
  };
  const estate = scanEstateOf(argv);
  const channel = estate === undefined || !analyseAhead ? undefined : new MessageChannel();
  return new Promise((resolve) => {
    let exitCode: number | undefined;
    let crashed = false;
    const worker = new Worker(entry, {
      workerData: channel ? { ...request, analyses: channel.port2 } : request,
      transferList: channel ? [channel.port2] : [],
      resourceLimits: { maxYoungGenerationSizeMb: sizing.maxYoungGenerationSizeMb },
    });
    // While the worker starts and loads, the machine's other core has nothing to do: a helper thread analyses the
    // API configs meanwhile. Whatever becomes of it (an error, killed at the end) changes no output and no exit code.
    const helper = estate !== undefined && channel ? startAheadHelper(estate, channel.port1) : undefined;
    worker.on('message', (message: WorkerMessage) => {
      if ('exitCode' in message) exitCode = message.exitCode;
      else if (message.stream === 'stdout') streams.stdout.write(message.text);
      else streams.stderr.write(message.text);
    });
    // An exception nothing in the command caught (runCli catches every error a command throws), or the worker's
    // heap exhausted: what an uncaught exception would have been in this thread, reported as runCli reports a bug.
    worker.on('error', (error) => {
      crashed = true;
      streams.stderr.write(escapeForTerminal(internalErrorText(argv[0] ?? '', error)));
    });
    // Messages posted before the worker stopped are delivered before 'exit'.
    worker.on('exit', () => {
      void helper?.terminate();
      resolve(crashed || exitCode === undefined ? EXIT_INTERNAL_ERROR : exitCode);
    });
  });
}
