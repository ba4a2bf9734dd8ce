// Runs one command as `runCli` would (bad input -> exit 2 with one line), for commands built with injected stores.

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
