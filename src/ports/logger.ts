// Port: structured logs (one JSON line per entry on Cloud Run functions, so Cloud Logging parses severity and fields).

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/**
 * Longest text one logged field keeps: fields carry what events say (a method name, a resource name), and an
 * attacker's 380 KB `methodName` must not become a log line past Cloud Logging's 256 KB entry limit.
 */
export const MAX_LOG_FIELD_CHARS = 2048;
/** Longest line written: well under Cloud Logging's 256 KB per entry, whatever the number of fields. */
export const MAX_LOG_LINE_CHARS = 64 * 1024;

/** A field's value cut to MAX_LOG_FIELD_CHARS; a structure longer than that as JSON becomes its cut JSON text. */
export function capLogValue(value: unknown): unknown {
  if (typeof value === 'string') return capText(value);
  if (value === null || typeof value !== 'object') return value;
  let text: string;
  try {
    text = JSON.stringify(value) ?? '';
  } catch {
    return '[unserialisable]';
  }
  return text.length > MAX_LOG_FIELD_CHARS ? capText(text) : value;
}

function capText(text: string): string {
  return text.length > MAX_LOG_FIELD_CHARS
    ? `${text.slice(0, MAX_LOG_FIELD_CHARS)}...[${(text.length - MAX_LOG_FIELD_CHARS).toLocaleString('en-US')} more characters]`
    : text;
}

/** Writes Cloud Logging structured JSON lines to a stream, every field capped. */
export function jsonLogger(write: (line: string) => void): Logger {
  const emit =
    (severity: string) =>
    (message: string, fields: LogFields = {}) => {
      const capped: Record<string, unknown> = { severity, message: capText(message) };
      for (const [key, value] of Object.entries(fields)) capped[capText(key)] = capLogValue(value);
      let line = JSON.stringify(capped);
      if (line.length > MAX_LOG_LINE_CHARS) {
        line = JSON.stringify({ severity, message: capText(message), truncated: capText(line) });
      }
      write(`${line}\n`);
    };
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
