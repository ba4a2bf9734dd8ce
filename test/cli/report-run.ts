// Runs one command as `runCli` would (bad input -> exit 2 with one line), for commands built with injected stores,
// and captures what it writes.

import type { CliIo, Command } from '../../src/cli/io.js';
import { isBadInput } from '../../src/domain/failure.js';

export async function runCommandForTest(
  command: Command,
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  try {
    return await command(args, io);
  } catch (error) {
    if (!isBadInput(error)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
}

/** A CliIo that keeps what a command writes, for the test to read. */
export function captureIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      env: {},
    },
    stdout: () => out,
    stderr: () => err,
  };
}
