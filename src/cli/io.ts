// What a CLI command may touch: its output streams and environment, injected so tests run it in-process.

export interface TextSink {
  write(text: string): unknown;
}

export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stderr is a terminal (progress may redraw a line). */
  readonly interactive?: boolean;
}

/** Bad input (unreadable estate, invalid policy, unknown flag): exit code 2 with one line naming the cause. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;

export type Command = (args: readonly string[], io: CliIo) => Promise<number>;
