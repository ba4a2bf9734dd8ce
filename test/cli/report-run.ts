// Runs one command as `runCli` would (bad input -> exit 2 with one line), for commands built with injected stores.

import type { CliIo, Command } from '../../src/cli/io.js';
import { isBadInputError } from '../../src/cli/main.js';

export async function runCommandForTest(
  command: Command,
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  try {
    return await command(args, io);
  } catch (error) {
    if (!isBadInputError(error)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
}
