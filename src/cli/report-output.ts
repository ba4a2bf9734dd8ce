// Flags and output shared by the commands that print a report (scan, check-plan, report; baseline save's --out).

import { writeFile } from 'node:fs/promises';
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

export async function writeReport(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      `--out ${path}: cannot write the report (${typeof code === 'string' ? code : String(error)})`,
    );
  }
}
