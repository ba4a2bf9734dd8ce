// Port: the one clock. Time is injected everywhere (use cases, retries, rate limits, the webhook poster), so tests
// and benchmarks control it.

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Milliseconds since the epoch on `clock`. */
export function nowMs(clock: Clock): number {
  return clock.now().getTime();
}
