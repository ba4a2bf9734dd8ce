// What a CLI command may touch: its output streams and environment, injected so tests run it in-process.

import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

export interface TextSink {
  write(text: string): unknown;
  /**
   * Writes text whose colour sequences its renderer put there (terminal-text.ts `writeStyled`): a guarded terminal
   * keeps them, where `write` shows every escape sequence escaped.
   */
  writeStyled?(text: string): unknown;
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
  readonly badInput = true;
  readonly retryable = false;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;
/** A bug, not bad input: distinct from 1 (findings) and 2 (bad input) so CI never mistakes one for the other. */
export const EXIT_INTERNAL_ERROR = 70;

/** What a command says of an error that is not bad input: a bug, with the stack to report. */
export function internalErrorText(command: string, error: unknown): string {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `gatewarden ${command}: internal error, please report it:\n${detail}\n`;
}

export type Command = (args: readonly string[], io: CliIo) => Promise<number>;

/**
 * `node:util` parseArgs in strict mode, its errors turned into a one-line UsageError (exit 2):
 * `unknown option --colour`, `option --estate needs a value`.
 */
export function parseFlags<const T extends ParseArgsOptionsConfig>(
  args: readonly string[],
  options: T,
  allowPositionals = false,
): { values: ParsedValues<T>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, strict: true, allowPositionals });
    return { values: values as ParsedValues<T>, positionals };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const option = /'(-[^' ]+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${option ?? message}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && / argument missing/.test(message)) {
      throw new UsageError(`option ${option ?? ''} needs a value`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError(`unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}`.trim());
    }
    throw new UsageError(message.split('\n', 1)[0] ?? message);
  }
}

type ParsedValues<T extends ParseArgsOptionsConfig> = {
  [K in keyof T]?: T[K] extends { multiple: true }
    ? T[K] extends { type: 'boolean' }
      ? boolean[]
      : string[]
    : T[K] extends { type: 'boolean' }
      ? boolean
      : string;
};
