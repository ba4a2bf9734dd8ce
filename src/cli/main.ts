// The `gatewarden` command: picks a sub-command from an explicit table and maps errors to exit codes.

import { type CliIo, type Command, EXIT_BAD_INPUT, UsageError } from './io.js';

const COMMANDS: Readonly<Record<string, { readonly summary: string; readonly run: Command }>> = {};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(12)} ${command.summary}`);
  return `Usage: gatewarden <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? 0 : EXIT_BAD_INPUT;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`gatewarden: unknown command "${name}"\n${usage()}`);
    return EXIT_BAD_INPUT;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`gatewarden ${name}: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}
