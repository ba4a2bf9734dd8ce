// Lets a helper thread run only on CPU that nothing else of ours (or anyone's) wants: the lowest scheduling priority.

import { setPriority } from 'node:os';

/** The lowest nice value: a thread at 19 gets ~1.5 % of a core that a thread at 0 also wants (Linux CFS weights). */
const LOWEST = 19;

/**
 * Lowers the calling thread's priority to the lowest, on Linux alone: there a nice value belongs to one thread
 * (NPTL), so `setPriority(0, …)` leaves the scan's worker and the main thread as they are; elsewhere (macOS,
 * Windows) it would lower the whole process, so nothing is done. True when it was lowered; a refusal is no error.
 */
export function yieldToEveryOtherThread(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return false;
  try {
    setPriority(0, LOWEST);
    return true;
  } catch {
    return false;
  }
}
