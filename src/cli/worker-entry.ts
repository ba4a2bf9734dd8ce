// The worker thread of run-in-worker.ts: runs one command, posting its output and then its exit code.

import { parentPort, workerData } from 'node:worker_threads';
import { growHeapUntilFirstFullCollection } from './heap-growth.js';
import type { TextSink } from './io.js';
import { loadCommand, runCli } from './main.js';
import type { WorkerMessage, WorkerRequest } from './run-in-worker.js';

const request = workerData as WorkerRequest;
const port = parentPort;
if (!port) throw new Error('worker-entry.js runs only as a worker thread (run-in-worker.ts starts it)');

function post(message: WorkerMessage): void {
  port?.postMessage(message);
}

/** A stream of the starting thread, as the command sees it: whether it is a terminal decides colour and escaping. */
function sink(stream: 'stdout' | 'stderr', isTTY: boolean): TextSink {
  return {
    write: (text: string) => {
      post({ stream, text });
      return true;
    },
    ...(isTTY ? { isTTY: true } : {}),
  };
}

// The command's modules first: V8 compiles those of Node's own that they load from its code cache only while every
// flag is at its default.
await loadCommand(request.argv[0]);
// Every module the command needs has loaded: from here on, any outcome is the command's (run-in-worker.ts tells a
// module that did not load, when the command can still run in the starting thread, from a crash).
post({ started: true });
const heapGrowth = growHeapUntilFirstFullCollection(request.firstHeapGrowingPercent);
const exitCode = await runCli(request.argv, {
  stdout: sink('stdout', request.stdoutIsTTY),
  stderr: sink('stderr', request.stderrIsTTY),
  env: request.env,
});
heapGrowth.end();
post({ exitCode });
