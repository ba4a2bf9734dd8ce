// The helper thread of run-in-worker.ts: analyses a large scan's API configs beside the scan's worker
// (api-configs-ahead.ts) in a heap of its own. In the main thread the same work grew the heap by ~20 MB that stayed
// for the whole scan; a helper's pages go back to V8's page pool when it ends, and the scan's worker reuses them.

import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import { yieldToEveryOtherThread } from './thread-priority.js';

/** What the helper is started with (`workerData`). */
export interface AheadRequest {
  readonly dir: string;
  /** Where the analyses go: the scan's worker takes them from the other end of its channel. */
  readonly port: MessagePort;
}

const { analyseApiConfigsAhead } = await import('./api-configs-ahead.js');
const { dir, port } = workerData as AheadRequest;
// The helper is worth running only on a core nothing else wants, the worker's own collector threads included: it
// lowers its priority once it has read the export. Not before: libuv's thread pool is created by the first thread
// that uses it, with that thread's priority, and the worker's own reads go through the same pool.
await analyseApiConfigsAhead(dir, port, undefined, yieldToEveryOtherThread);
