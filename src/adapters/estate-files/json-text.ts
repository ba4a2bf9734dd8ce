// Parses JSON text and, when it is broken, says where (line and column), whatever the V8 message holds.

export type JsonParseOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly line: number; readonly column: number; readonly reason: string };

/**
 * Decodes a file's bytes: UTF-8, with or without a byte-order mark, or UTF-16 with a BOM
 * (what Windows PowerShell's `>` writes when a gcloud export is redirected there).
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

export function parseJsonText(text: string): JsonParseOutcome {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = locateJsonError(text);
    return { ok: false, ...lineAndColumn(text, offset), reason: describeReason(message, text, offset) };
  }
}

// V8 names a position for some errors only ("Unexpected token 'x', "..." is not valid JSON" has none, and quotes
// the text around it), so the position is found by scanning, and the message keeps only its first clause.
export function describeReason(message: string, text: string, offset: number): string {
  if (text.trim() === '') return 'the file is empty';
  if (offset >= text.length) return 'unexpected end of input';
  const reason = message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/, ".*" is not valid JSON$/s, '')
    .trim();
  return reason || 'unexpected character';
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the first character that makes `text` invalid JSON (its length when input ends too early). */
export function locateJsonError(text: string): number {
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at++;
  };
  const fail = (): never => {
    throw at;
  };
  const expect = (literal: string): void => {
    for (const char of literal) {
      if (text.charAt(at) !== char) fail();
      at++;
    }
  };
  const readString = (): void => {
    at++;
    while (at < text.length) {
      const char = text.charAt(at);
      if (char === '"') {
        at++;
        return;
      }
      if (char.charCodeAt(0) < 0x20) fail();
      if (char === '\\') {
        at++;
        const escaped = text.charAt(at);
        if (escaped === 'u') {
          for (let digit = 1; digit <= 4; digit++) if (!/[0-9a-fA-F]/.test(text.charAt(at + digit))) fail();
          at += 4;
        } else if (!'"\\/bfnrt'.includes(escaped) || escaped === '') fail();
      }
      at++;
    }
    fail();
  };
  const readNumber = (): void => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (!match || match[0] === '-' || match[0] === '') fail();
    at += match?.[0].length ?? 0;
  };
  const readValue = (): void => {
    skipSpace();
    const char = text.charAt(at);
    if (char === '{') {
      at++;
      skipSpace();
      if (text.charAt(at) === '}') {
        at++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text.charAt(at) !== '"') fail();
        readString();
        skipSpace();
        expect(':');
        readValue();
        skipSpace();
        if (text.charAt(at) === ',') at++;
        else if (text.charAt(at) === '}') {
          at++;
          return;
        } else fail();
      }
    }
    if (char === '[') {
      at++;
      skipSpace();
      if (text.charAt(at) === ']') {
        at++;
        return;
      }
      for (;;) {
        readValue();
        skipSpace();
        if (text.charAt(at) === ',') at++;
        else if (text.charAt(at) === ']') {
          at++;
          return;
        } else fail();
      }
    }
    if (char === '"') readString();
    else if (char === 't') expect('true');
    else if (char === 'f') expect('false');
    else if (char === 'n') expect('null');
    else if (char === '-' || (char >= '0' && char <= '9')) readNumber();
    else fail();
  };
  try {
    readValue();
    skipSpace();
    return Math.min(at, text.length);
  } catch (thrown) {
    // A RangeError means nesting deeper than the stack: point at where the scan stood.
    return typeof thrown === 'number' ? Math.min(thrown, text.length) : Math.min(at, text.length);
  }
}

/** `not valid JSON at line 3, column 7: unexpected end of input`. */
export function syntaxProblem(line: number, column: number, reason: string): string {
  return `not valid JSON at line ${line}, column ${column}: ${reason}`;
}
