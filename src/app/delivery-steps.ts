// Steps of the delivery policy that several outcomes share: a record that asks for a redelivery only when a retry
// could write it, and a lookup made at most once per delivery.

import { describeError, isRetryable } from '../domain/failure.js';
import type { Logger } from '../ports/logger.js';

/**
 * Runs `work`; a failure a retry could fix becomes a `retry` outcome (Pub/Sub redelivers), anything else is logged
 * and swallowed so the message is acknowledged rather than retried for a day.
 */
export async function recordOrRetry(
  deps: { readonly log: Logger },
  what: string,
  work: () => Promise<unknown>,
): Promise<{ readonly kind: 'retry'; readonly stage: 'record'; readonly error: unknown } | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    if (isRetryable(error)) {
      deps.log.warn(`${what} failed; asking for redelivery`, { error: describeError(error) });
      return { kind: 'retry', stage: 'record', error };
    }
    deps.log.error(`${what} failed and would fail again; acknowledged`, { error: describeError(error) });
    return undefined;
  }
}

/** `compute` run at most once, and only when first asked for. */
export function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= compute();
    return value;
  };
}
