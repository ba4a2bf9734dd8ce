// Flags and output shared by the commands that print a report (scan, check-plan, report).

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
