// The `gatewarden` command: picks a sub-command from an explicit table and maps errors to exit codes.

import { isBadInput } from '../domain/failure.js';
import { BASELINE_SUMMARY, createBaselineCommand } from './commands/baseline.js';
import { CHECK_PLAN_SUMMARY, runCheckPlan } from './commands/check-plan.js';
import { createDoctorCommand, DOCTOR_SUMMARY } from './commands/doctor.js';
import { createExplainCommand, EXPLAIN_SUMMARY } from './commands/explain.js';
import { createReportCommand, REPORT_SUMMARY } from './commands/report.js';
import { createRulesCommand, RULES_SUMMARY } from './commands/rules.js';
import { runScan, SCAN_SUMMARY } from './commands/scan.js';
import { createSccCommand, SCC_SUMMARY } from './commands/scc.js';
import { runSimulate, SIMULATE_SUMMARY } from './commands/simulate.js';
import { type CliIo, type Command, EXIT_BAD_INPUT } from './io.js';
import { guardTerminalStreams } from './terminal-text.js';

const COMMANDS: Readonly<Record<string, { readonly summary: string; readonly run: Command }>> = {
  scan: { summary: SCAN_SUMMARY, run: runScan },
  rules: { summary: RULES_SUMMARY, run: createRulesCommand() },
  explain: { summary: EXPLAIN_SUMMARY, run: createExplainCommand() },
  'check-plan': { summary: CHECK_PLAN_SUMMARY, run: runCheckPlan },
  simulate: { summary: SIMULATE_SUMMARY, run: runSimulate },
  baseline: { summary: BASELINE_SUMMARY, run: createBaselineCommand() },
  report: { summary: REPORT_SUMMARY, run: createReportCommand() },
  doctor: { summary: DOCTOR_SUMMARY, run: createDoctorCommand() },
  scc: { summary: SCC_SUMMARY, run: createSccCommand() },
};

/** A bug, not bad input: distinct from 1 (findings) and 2 (bad input) so CI never mistakes one for the other. */
export const EXIT_INTERNAL_ERROR = 70;

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(12)} ${command.summary}`);
  return `Usage: gatewarden <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

export async function runCli(argv: readonly string[], streams: CliIo): Promise<number> {
  const io = guardTerminalStreams(streams);
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
    // Bad input raised anywhere below (estate, policy, baseline, plan, flags) says so itself: `badInput`.
    if (isBadInput(error)) {
      io.stderr.write(`gatewarden ${name}: ${error.message.replace(/\s*[\r\n]+\s*/g, ' ')}\n`);
      return EXIT_BAD_INPUT;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`gatewarden ${name}: internal error, please report it:\n${detail}\n`);
    return EXIT_INTERNAL_ERROR;
  }
}
