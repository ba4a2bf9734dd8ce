// Flags and output shared by the commands that print a report (scan, check-plan, report; baseline save's --out).

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputFileError, writeOutputFile } from '../adapters/files/output-file.js';
import { parseSeverity, SEVERITIES, type Severity } from '../domain/severity.js';
import type { ScanError } from '../report/findings-report.js';
import { formatCount, plural } from '../report/plural.js';
import { type CliIo, EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, UsageError } from './io.js';

export function failOnFlag(text: string): Severity {
  const severity = parseSeverity(text);
  if (!severity) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(text)})`);
  }
  return severity;
}

/** The --format value, when it is one of the command's `formats`. */
export function formatFlag<Format extends string>(text: string, formats: readonly Format[]): Format {
  if ((formats as readonly string[]).includes(text)) return text as Format;
  throw new UsageError(`--format must be one of ${formats.join(', ')} (got ${JSON.stringify(text)})`);
}

/**
 * The file --out names, or undefined for standard output: no --out, or `-` (the usual convention, so a script can
 * pass its destination through one variable; a file named `-` is still `./-`). Checked before any work is done: an
 * empty name would otherwise fail only at the end, at the write.
 */
export function outFileFlag(path: string | undefined): string | undefined {
  if (path !== undefined && path.trim() === '') throw new UsageError('--out needs a file name');
  return path === STANDARD_OUTPUT ? undefined : path;
}

const STANDARD_OUTPUT = '-';

/**
 * Refuses an --out that is a file the command reads, whatever path names it (the same device and inode): the report
 * would replace the export, plan or policy it was judged from, and the next run would judge the report instead.
 */
export async function refuseInputAsOutput(
  outFile: string | undefined,
  inputs: readonly string[],
): Promise<void> {
  if (outFile === undefined) return;
  const out = await fileIdentityOf(outFile);
  if (out === undefined) return;
  for (const input of inputs) {
    if ((await fileIdentityOf(input)) === out) {
      throw new UsageError(
        `--out ${outFile} is ${input}, which this command reads; write the report elsewhere`,
      );
    }
  }
}

/** The `*.json` files of an estate directory, which `--estate` reads; none when there is no directory to read. */
export async function estateFilesIn(dir: string | undefined): Promise<string[]> {
  if (dir === undefined) return [];
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.json')).map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** `device:inode` of a regular file; undefined for anything else or nothing. */
async function fileIdentityOf(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path, { bigint: true });
    return info.isFile() ? `${info.dev}:${info.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the report over a regular file or nothing (output-file.ts); anything else is a one-line UsageError. */
export async function writeReport(path: string, text: string | Iterable<string>): Promise<void> {
  try {
    await writeOutputFile(path, text);
  } catch (error) {
    if (error instanceof OutputFileError) throw new UsageError(`--out ${path}: ${error.problem}`);
    throw error;
  }
}

export interface GateOutcome {
  /** `scan`, `check-plan`: the command the refusal names. */
  readonly command: string;
  readonly failOn: Severity;
  /** Records skipped as unreadable plus scopes that could not be read. */
  readonly unjudged: number;
  /** Whether a result fails at or above `failOn` (failsGate). */
  readonly fails: boolean;
}

/**
 * The exit code `--fail-on` gives. A gate must not pass on input it could not judge, so any unjudged record or scope
 * is bad input (2) whatever the results say; otherwise 1 when a result fails the gate, 0 when none does.
 */
export function gateExitCode(gate: GateOutcome, io: Pick<CliIo, 'stderr'>): number {
  if (gate.unjudged > 0) {
    io.stderr.write(
      `gatewarden ${gate.command}: --fail-on ${gate.failOn}: ${formatCount(gate.unjudged)} record(s) or scope(s) ` +
        'could not be read (see the warnings), so the gate cannot pass\n',
    );
    return EXIT_BAD_INPUT;
  }
  return gate.fails ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * What a report's summary says beside its findings (loading warnings, undetermined results) on stderr, unless the
 * report is a table on standard output, which shows both itself.
 */
export function writeBesideReport(
  summary: { readonly warnings: readonly string[]; readonly errors: readonly ScanError[] },
  tableOnStdout: boolean,
  io: Pick<CliIo, 'stderr'>,
): void {
  writeWarnings(summary.warnings, tableOnStdout, io);
  writeUndecided(summary.errors, tableOnStdout, io);
}

/**
 * Loading warnings on stderr, unless the report is a table on standard output: the table shows them itself, while
 * the other formats carry them in a summary a person may not read.
 */
function writeWarnings(warnings: readonly string[], shownInReport: boolean, io: Pick<CliIo, 'stderr'>): void {
  if (!shownInReport) for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);
}

/** Undetermined results named one by one on stderr; past this many, a count (an estate without its API configs). */
export const MAX_UNDECIDED_LINES = 20;

/**
 * Results a rule could not decide, on stderr unless the report is a table on standard output (which lists them). They
 * count for --fail-on, and SARIF and CSV have no place for them: without this line a gate failed on them unexplained.
 */
export function writeUndecided(
  errors: readonly ScanError[],
  shownInReport: boolean,
  io: Pick<CliIo, 'stderr'>,
): void {
  if (shownInReport) return;
  for (const error of errors.slice(0, MAX_UNDECIDED_LINES)) {
    io.stderr.write(
      `undetermined: ${error.ruleId} on ${error.resource}: ${error.message.replace(/\s*[\r\n]+\s*/g, ' ')}\n`,
    );
  }
  const more = errors.length - MAX_UNDECIDED_LINES;
  if (more > 0) {
    io.stderr.write(
      `undetermined: ${plural(more, 'more result')} (--format json lists every one in summary.errors)\n`,
    );
  }
}
