// Text bound for a terminal carries names from exports and APIs: control characters in them are shown escaped, so
// an ESC, OSC or BEL sequence in a resource name can never retitle, clear or forge lines on the user's screen.

import type { TextSink } from './io.js';

// C0 controls, DEL, C1 controls, line and paragraph separators, and the bidirectional overrides and isolates that
// can reorder what a line appears to say ("Trojan Source").
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// Kept in any report: line ends (CSV ends records with CRLF) and tabs.
const KEPT_IN_REPORT = /\r\n|\n|\t/y;
// Kept as well in a report a renderer has coloured itself (`writeStyled`): SGR sequences, which can change colours
// and nothing else. Never kept in other text: an SGR sequence there came from the data (ESC[8m conceals the rest of
// the line).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the colour sequences a coloured table is painted with
const KEPT_IN_STYLED_REPORT = /\u001b\[[0-9;]*m|\r\n|\n|\t/y;

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

/** Report text for a terminal: controls escaped, except line ends and tabs. */
export function escapeReportForTerminal(text: string): string {
  return escapeExceptKept(text, KEPT_IN_REPORT);
}

/**
 * Report text a renderer coloured itself, for a terminal: controls escaped, except colour sequences, line ends and
 * tabs. Only for text whose data the renderer has already stripped of controls (the table's `oneLine`).
 */
export function escapeStyledReportForTerminal(text: string): string {
  return escapeExceptKept(text, KEPT_IN_STYLED_REPORT);
}

function escapeExceptKept(text: string, kept: RegExp): string {
  let out = '';
  let last = 0;
  CONTROL.lastIndex = 0;
  for (let match = CONTROL.exec(text); match; match = CONTROL.exec(text)) {
    kept.lastIndex = match.index;
    const keptHere = kept.exec(text);
    if (keptHere) {
      CONTROL.lastIndex = match.index + keptHere[0].length;
      continue;
    }
    out += text.slice(last, match.index) + escapeCharacter(match[0]);
    last = match.index + 1;
  }
  return out + text.slice(last);
}

/**
 * Writes a report a renderer coloured itself: a guarded terminal keeps its colour sequences, which `write` would
 * show escaped; any other sink takes it as `write` does.
 */
export function writeStyled(sink: TextSink, text: string): void {
  if (sink.writeStyled) sink.writeStyled(text);
  else sink.write(text);
}

/** True when the sink is a terminal (a Node TTY stream says so with `isTTY`). */
export function isTerminal(sink: TextSink): boolean {
  return (sink as { isTTY?: unknown }).isTTY === true;
}

/**
 * The streams a command writes to, made safe for people: stderr always escaped (warnings name resources), stdout
 * escaped when it is a terminal (a report piped to a file stays byte for byte what was rendered). Only the renderer
 * knows which colour sequences are its own, so stdout keeps them only through `writeStyled`.
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
          writeStyled: (text: string) => stdout.write(escapeStyledReportForTerminal(text)),
        })
      : stdout,
    stderr: Object.assign(Object.create(stderr) as TextSink, {
      write: (text: string) => stderr.write(escapeForTerminal(text)),
    }),
  };
}
