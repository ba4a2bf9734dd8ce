// The `gatewarden` command: picks a sub-command from an explicit table and maps errors to exit codes.

import { elideMiddle } from '../domain/elide-middle.js';
import { isBadInput } from '../domain/failure.js';
import { GATEWARDEN_VERSION } from '../version.js';
import { type CliIo, type Command, EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR, internalErrorText } from './io.js';
import { escapeForTerminal, guardTerminalStreams } from './terminal-text.js';

/**
 * The command table. Each command is loaded only when it runs (`import()`), so `gatewarden rules` does not pay for
 * googleapis, Firestore or the simulator, and `--help` loads no command at all: the summaries live here for that.
 */
const COMMANDS: Readonly<
  Record<string, { readonly summary: string; readonly load: () => Promise<Command> }>
> = {
  scan: {
    summary:
      'judge an exported estate (--estate DIR) or live projects (--project P, --organization O, --folder F) against the catalogue',
    load: async () => (await import('./commands/scan.js')).runScan,
  },
  rules: {
    summary: 'list the rule catalogue (ID, severity, source, title)',
    load: async () => (await import('./commands/rules.js')).createRulesCommand(),
  },
  explain: {
    summary: 'explain a rule: why it matters and how to fix it (gcloud, Terraform)',
    load: async () => (await import('./commands/explain.js')).createExplainCommand(),
  },
  'check-plan': {
    summary: 'judge a Terraform plan (terraform show -json) before apply',
    load: async () => (await import('./commands/check-plan.js')).runCheckPlan,
  },
  simulate: {
    summary: 'serve an estate as a local Google API (--estate DIR --port N) for gcloud and tests',
    load: async () => (await import('./commands/simulate.js')).runSimulate,
  },
  baseline: {
    summary: 'save the governed fields as a baseline file; approve a baseline into Firestore',
    load: async () => (await import('./commands/baseline.js')).createBaselineCommand(),
  },
  report: {
    summary: 'report the stored findings and their history from Firestore',
    load: async () => (await import('./commands/report.js')).createReportCommand(),
  },
  doctor: {
    summary: 'check that projects (and a deployment) give Gatewarden what it needs, with a fix for each gap',
    load: async () => (await import('./commands/doctor.js')).createDoctorCommand(),
  },
  scc: {
    summary: 'mirror every stored finding to a Security Command Center source (scc sync)',
    load: async () => (await import('./commands/scc.js')).createSccCommand(),
  },
};

/** The command of that name: only the table's own (`gatewarden __proto__` names none). */
function commandNamed(name: string | undefined) {
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/**
 * Loads a command's modules without running it (a large scan, before V8's flags leave their defaults: heap-tuning.ts).
 * Rejects when one does not load.
 */
export async function loadCommand(name: string | undefined): Promise<void> {
  await commandNamed(name)?.load();
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(12)} ${command.summary}`);
  return `Usage: gatewarden <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n  --version    print the version\n`;
}

/** What tests change of runGatewarden: where a large scan's bundle is, and how large is large. */
export interface GatewardenOptions {
  readonly largeScanModule?: URL;
  readonly largeScanAboveBytes?: number;
}

/**
 * The `gatewarden` binary: runCli, and for a scan of a large estate (large-scan.ts) the build's bundle of it, run
 * with V8's heap tuned for the scan (heap-tuning.ts).
 */
export async function runGatewarden(
  argv: readonly string[],
  streams: CliIo,
  options: GatewardenOptions = {},
): Promise<number> {
  // Only a scan can be large enough: other commands do not load the module that decides.
  if (argv[0] !== 'scan') return runCli(argv, streams);
  const { largeScanTuningFor, largeScanModule } = await import('./large-scan.js');
  const tuning = largeScanTuningFor(argv, options.largeScanAboveBytes);
  if (tuning === undefined) return runCli(argv, streams);
  const cli = await loadLargeScan(options.largeScanModule ?? largeScanModule(), streams);
  const { tuneHeap } = await import('./heap-tuning.js');
  const heap = tuneHeap(tuning);
  try {
    return await cli(argv, streams);
  } finally {
    heap.end();
  }
}

/**
 * runCli of the bundle at `entry`, with the scan command's modules loaded. A bundle that does not load (cut short by
 * an interrupted build, a chunk missing from it) changes nothing but speed: the scan runs from the modules, and says so.
 */
async function loadLargeScan(entry: URL, streams: CliIo): Promise<typeof runCli> {
  try {
    const bundle = (await import(entry.href)) as { runCli: typeof runCli; loadCommand: typeof loadCommand };
    await bundle.loadCommand('scan');
    return bundle.runCli;
  } catch (error) {
    streams.stderr.write(
      escapeForTerminal(
        `gatewarden scan: the built bundle did not load (${errorSummary(error)}); running the modules\n`,
      ),
    );
    // A scan command that does not load either is runCli's to report (exit 70), as for any command.
    await loadCommand('scan').catch(() => {});
    return runCli;
  }
}

/** One line for a module that did not load: its code and message, cut short (a path may be long). */
function errorSummary(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message =
    (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0] ?? '';
  return elideMiddle(typeof code === 'string' ? `${code}, ${message}` : message, 300);
}

export async function runCli(argv: readonly string[], streams: CliIo): Promise<number> {
  const io = guardTerminalStreams(streams);
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return 0;
  }
  // No command is a usage error, said where errors go: a pipe reading stdout gets nothing, as for an unknown one.
  if (!name) {
    io.stderr.write(usage());
    return EXIT_BAD_INPUT;
  }
  // What an issue report or a CI log needs to say which build judged: the version npm installed.
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.write(`gatewarden ${GATEWARDEN_VERSION}\n`);
    return 0;
  }
  const command = commandNamed(name);
  if (!command) {
    io.stderr.write(`gatewarden: unknown command "${name}"\n${usage()}`);
    return EXIT_BAD_INPUT;
  }
  try {
    const run = await command.load();
    return await run(args, io);
  } catch (error) {
    // Bad input raised anywhere below (estate, policy, baseline, plan, flags) says so itself: `badInput`.
    if (isBadInput(error)) {
      io.stderr.write(`gatewarden ${name}: ${error.message.replace(/\s*[\r\n]+\s*/g, ' ')}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr.write(internalErrorText(name, error));
    return EXIT_INTERNAL_ERROR;
  }
}
