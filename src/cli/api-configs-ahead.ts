// The other core's share of a large scan (issue 14): while the worker starts and loads the estate, a helper thread
// (api-configs-worker.ts) analyses the estate's API configs and posts the analyses by content key, so the worker's
// judge finds them ready. Nothing here may change a result: the worker files only what analyseKeyed (the same code) made, under
// a hash of everything the analysis reads, and computes anything missing itself. Any problem here is silence.

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import {
  ANALYSES_BY_CONTENT_LIMITS,
  analyseKeyed,
  type KeyedAnalysis,
  onAnalysisMiss,
  seedAnalyses,
} from '../domain/api-config-auth.js';
import { descriptorOf } from '../domain/resource-kind.js';

/**
 * A larger export is left to the worker: its text and records would be held twice, beside the worker loading the
 * same file (the 1x estate's is 2 MB, 4x 8 MB; JSON.parse builds the whole tree before the reviver walks it).
 */
export const AHEAD_MAX_BYTES = 16 * 1024 * 1024;

/** Analyses posted per message: the worker takes what has arrived whenever its cache misses. */
const BATCH = 8;

/**
 * Reads DIR's API-config export and posts `KeyedAnalysis[]` batches on `port`, in the export's order, each content
 * once, at most as many as the worker's cache keeps; nothing when `stopped()` says the worker has already finished.
 * Never rejects: a file that is missing, not a regular file, too large or not JSON posts nothing (the worker says
 * what is wrong with it), and what is posted for a file the worker refuses (an object, not an array) goes unused.
 * `beforeAnalysing` runs between the reading and the analysing (the helper lowers its priority there).
 */
export async function analyseApiConfigsAhead(
  dir: string,
  port: MessagePort,
  stopped: () => boolean = () => false,
  beforeAnalysing: () => void = () => undefined,
): Promise<number> {
  try {
    const text = await readExport(join(dir, descriptorOf('apiConfig').estateFile));
    if (text === undefined || stopped()) return 0;
    beforeAnalysing();
    return postAnalysesOf(text, port);
  } catch {
    // The worker reads the same file and reports whatever is wrong with it, or computes what is missing here.
    return 0;
  }
}

/** The analyses of an export's text, posted; how many (throws when the text is not JSON). */
function postAnalysesOf(text: string, port: MessagePort): number {
  let posted = 0;
  const keys = new Set<string>();
  let batch: KeyedAnalysis[] = [];
  // Each record is analysed as soon as it is parsed and then dropped, so that only one is alive at a time: with
  // the whole array alive, each scavenge copied it again (half of the CPU this took).
  JSON.parse(text, function take(this: unknown, _key: string, value: unknown): unknown {
    if (!Array.isArray(this) || keys.size >= ANALYSES_BY_CONTENT_LIMITS.maxEntries) return value;
    // An element of any array (a hostile record nests one in another): a nested one analysed and dropped only
    // changes its holder's content key, so the worker finds no analysis for that holder and computes it itself.
    const keyed = analyseKeyed(value);
    if (keyed === undefined) return value;
    if (!keys.has(keyed.key)) {
      keys.add(keyed.key);
      batch.push(keyed);
      if (batch.length === BATCH) {
        port.postMessage(batch);
        posted += batch.length;
        batch = [];
      }
    }
    return undefined;
  });
  if (batch.length > 0) {
    port.postMessage(batch);
    posted += batch.length;
  }
  return posted;
}

/** The export's text, or undefined. Opened without blocking: a FIFO under the export's name must not hang us. */
async function readExport(path: string): Promise<string | undefined> {
  const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await file.stat();
    if (!info.isFile() || info.size > AHEAD_MAX_BYTES) return undefined;
    return await file.readFile('utf8');
  } finally {
    await file.close();
  }
}

/**
 * In the worker: a content-cache miss first takes every batch that has arrived on `port` (without waiting for any),
 * so analyses posted while this thread was busy judging are used too.
 */
export function takeAnalysesFrom(port: MessagePort): void {
  onAnalysisMiss(() => {
    for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
      seedAnalyses(message.message as readonly KeyedAnalysis[]);
    }
  });
}
