// Flags and output shared by the commands that print a report (scan, check-plan, report; baseline save's --out).

import { OutputFileError, writeOutputFile } from '../adapters/files/output-file.js';
import { parseSeverity, SEVERITIES, type Severity } from '../domain/severity.js';
import { UsageError } from './io.js';

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

/** Checks --out before any work is done: an empty name would otherwise fail only at the end, at the write. */
export function checkOutFlag(path: string | undefined): void {
  if (path !== undefined && path.trim() === '') throw new UsageError('--out needs a file name');
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
