// A counting semaphore: at most N calls in flight, the rest wait in arrival order.

export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly inFlight: number;
}

export function createLimiter(maxInFlight: number): Limiter {
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1, got ${maxInFlight}`);
  }
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else inFlight -= 1;
  };
  return {
    get inFlight() {
      return inFlight;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (inFlight < maxInFlight) inFlight += 1;
      // A released slot passes straight to the next waiter, so inFlight is not decremented then incremented.
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
