// Text bound for a terminal carries names from exports and APIs: control characters in them are shown escaped, so
// an ESC, OSC or BEL sequence in a resource name can never retitle, clear or forge lines on the user's screen.

import type { TextSink } from './io.js';

// C0 controls, DEL, C1 controls, line and paragraph separators, and the bidirectional overrides and isolates that
// can reorder what a line appears to say ("Trojan Source").
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// What our own renderers emit on purpose: SGR colour sequences (they can change colours, nothing else), line ends
// (CSV ends records with CRLF) and tabs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the colour sequences our renderers emit
const KEPT_ON_STDOUT = /\u001b\[[0-9;]*m|\r\n|\n|\t/y;

function escapeCharacter(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Every control character escaped except newlines: for warnings and messages on stderr. */
export function escapeForTerminal(text: string): string {
  return text.replace(CONTROL, (char) => (char === '\n' ? char : escapeCharacter(char)));
}

/** Report text for a terminal: controls escaped, except colour sequences, line ends and tabs. */
export function escapeReportForTerminal(text: string): string {
  let out = '';
  let last = 0;
  CONTROL.lastIndex = 0;
  for (let match = CONTROL.exec(text); match; match = CONTROL.exec(text)) {
    KEPT_ON_STDOUT.lastIndex = match.index;
    const kept = KEPT_ON_STDOUT.exec(text);
    if (kept) {
      CONTROL.lastIndex = match.index + kept[0].length;
      continue;
    }
    out += text.slice(last, match.index) + escapeCharacter(match[0]);
    last = match.index + 1;
  }
  return out + text.slice(last);
}

/** True when the sink is a terminal (a Node TTY stream says so with `isTTY`). */
export function isTerminal(sink: TextSink): boolean {
  return (sink as { isTTY?: unknown }).isTTY === true;
}

/**
 * The streams a command writes to, made safe for people: stderr always escaped (warnings name resources), stdout
 * escaped when it is a terminal (a report piped to a file stays byte for byte what was rendered).
 */
export function guardTerminalStreams<T extends { readonly stdout: TextSink; readonly stderr: TextSink }>(
  io: T,
): T {
  const stdout = io.stdout;
  const stderr = io.stderr;
  return {
    ...io,
    stdout: isTerminal(stdout)
      ? Object.assign(Object.create(stdout) as TextSink, {
          write: (text: string) => stdout.write(escapeReportForTerminal(text)),
        })
      : stdout,
    stderr: Object.assign(Object.create(stderr) as TextSink, {
      write: (text: string) => stderr.write(escapeForTerminal(text)),
    }),
  };
}
