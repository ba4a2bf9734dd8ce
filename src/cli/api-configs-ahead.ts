// The main thread's share of a large scan (issue 14): while the worker starts and loads the estate, this thread, idle
// otherwise, analyses the estate's API configs and posts the analyses by content key, so the worker's judge finds
// them ready. Nothing here may change a result: the worker files only what analyseKeyed (the same code) made, under
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

/** A larger export is left to the worker: reading it twice would hold its text and records in both threads. */
export const AHEAD_MAX_BYTES = 64 * 1024 * 1024;

/** Analyses posted per message, and between two turns of this thread's event loop (the worker's output waits). */
const BATCH = 8;

/**
 * Reads DIR's API-config export and posts `KeyedAnalysis[]` batches on `port`, in the export's order, each content
 * once, at most as many as the worker's cache keeps. Stops when `stopped()` says the worker has finished. Never
 * rejects: a file that is missing, not a regular file, too large or not a JSON array of records posts nothing.
 */
export async function analyseApiConfigsAhead(
  dir: string,
  port: MessagePort,
  stopped: () => boolean = () => false,
): Promise<number> {
  let posted = 0;
  try {
    const records = await readExport(join(dir, descriptorOf('apiConfig').estateFile));
    if (!Array.isArray(records)) return 0;
    const keys = new Set<string>();
    let batch: KeyedAnalysis[] = [];
    for (const record of records) {
      if (keys.size >= ANALYSES_BY_CONTENT_LIMITS.maxEntries || stopped()) break;
      const keyed = analyseKeyed(record);
      if (keyed === undefined || keys.has(keyed.key)) continue;
      keys.add(keyed.key);
      batch.push(keyed);
      if (batch.length === BATCH) {
        port.postMessage(batch);
        posted += batch.length;
        batch = [];
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (batch.length > 0 && !stopped()) {
      port.postMessage(batch);
      posted += batch.length;
    }
  } catch {
    // The worker reads the same file and reports whatever is wrong with it, or computes what is missing here.
  }
  return posted;
}

/** The parsed export, or undefined. Opened without blocking: a FIFO under the export's name must not hang us. */
async function readExport(path: string): Promise<unknown> {
  const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await file.stat();
    if (!info.isFile() || info.size > AHEAD_MAX_BYTES) return undefined;
    return JSON.parse(await file.readFile('utf8'));
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
