// Port: structured logs (one JSON line per entry on Cloud Run functions, so Cloud Logging parses severity and fields).

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Writes Cloud Logging structured JSON lines to a stream. */
export function jsonLogger(write: (line: string) => void): Logger {
  const emit =
    (severity: string) =>
    (message: string, fields: LogFields = {}) =>
      write(`${JSON.stringify({ severity, message, ...fields })}\n`);
  return { info: emit('INFO'), warn: emit('WARNING'), error: emit('ERROR') };
}

/** Keeps log entries in memory (tests assert on them, e.g. that a secret never appears). */
export class MemoryLogger implements Logger {
  readonly entries: { severity: string; message: string; fields: LogFields }[] = [];
  info(message: string, fields: LogFields = {}): void {
    this.entries.push({ severity: 'INFO', message, fields });
  }
  warn(message: string, fields: LogFields = {}): void {
    this.entries.push({ severity: 'WARNING', message, fields });
  }
  error(message: string, fields: LogFields = {}): void {
    this.entries.push({ severity: 'ERROR', message, fields });
  }
  text(): string {
    return this.entries
      .map((entry) => `${entry.severity} ${entry.message} ${JSON.stringify(entry.fields)}`)
      .join('\n');
  }
}
