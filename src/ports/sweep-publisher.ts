// Port: fan-out of a multi-project sweep, one message per project on the sweep topic, so each project is swept by its
// own invocation (an organisation of hundreds of projects never runs in one instance's time limit).

/** Port: publishes one sweep message per project; resolves once every message is accepted. */
export interface SweepPublisher {
  publishProjectSweeps(projects: readonly string[]): Promise<void>;
}

/** The body of the message that asks for one project's sweep (what `parseSweepScope` reads back). */
export function projectSweepMessage(project: string): string {
  return JSON.stringify({ project });
}

/** Thrown when some of the per-project messages could not be published: the tick is retried (sweeps are idempotent). */
export class FanOutError extends Error {
  override readonly name = 'FanOutError';
  /** The tick is retried: sweeps are idempotent. */
  readonly retryable = true;
  constructor(
    readonly failed: readonly string[],
    cause: unknown,
  ) {
    super(
      `${failed.length} project sweep message(s) could not be published (first: ${failed[0] ?? '?'}): ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
}
