// Parses JSON text and, when it is broken, says where (line and column) and what in words of its own: never the
// bytes V8 quotes from the text (a file passed by mistake may hold secrets). Every reader of JSON files uses it.

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

// V8's clauses that name no byte of the text; each is followed by `[in JSON] at position N` (and sometimes a line
// and column), which marks the message as V8's JSON.parse one. Anything else (`Unexpected token 'S', "SECRET-TOK"...
// is not valid JSON`, `..."x": SECRETPASS"... is not valid JSON`) quotes the text, so is described in our words.
const CONTENT_FREE_CLAUSES = [
  "Expected [-a-z ',:}\\]]+?",
  'Unterminated string',
  'Bad control character in string literal',
  'Bad escaped character',
  'Bad Unicode escape',
  'Unexpected non-whitespace character after JSON',
  'Exponent part is missing a number',
  'No number after minus sign',
  'Unterminated fractional number',
];
const CONTENT_FREE_REASON = new RegExp(`^(${CONTENT_FREE_CLAUSES.join('|')})(?: in JSON)? at position \\d+`);

/**
 * What is wrong at `offset`, naming no byte of `text`: V8's clause when it quotes nothing (the position is found by
 * scanning, as V8 names one for some errors only), otherwise a plain description.
 */
export function describeReason(message: string, text: string, offset: number): string {
  if (text.trim() === '') return 'the file is empty';
  if (offset >= text.length) return 'unexpected end of input';
  return CONTENT_FREE_REASON.exec(message)?.[1] ?? 'unexpected character';
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

/**
 * JSON.parse, or the one-clause problem `not valid JSON at line 3, column 7: unexpected character` that names no
 * byte of the text: what every reader of a JSON file puts after the file's name.
 */
export function parseJsonOrProblem(
  text: string,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string } {
  const parsed = parseJsonText(text);
  return parsed.ok
    ? parsed
    : { ok: false, problem: syntaxProblem(parsed.line, parsed.column, parsed.reason) };
}

/** `not valid JSON at line 3, column 7: unexpected end of input`. */
export function syntaxProblem(line: number, column: number, reason: string): string {
  return `not valid JSON at line ${line}, column ${column}: ${reason}`;
}

/**
 * The first key an object of `text` repeats, and where: JSON.parse keeps the last of two equal keys without a word,
 * so a config file that must not lose a section or setting asks for this. One pass, one set of keys per open object;
 * `text` must be JSON that JSON.parse accepted.
 */
export function findDuplicateJsonKey(
  text: string,
): { readonly key: string; readonly line: number; readonly column: number } | undefined {
  const open: (Set<string> | undefined)[] = [];
  for (let at = 0; at < text.length; at++) {
    const char = text.charAt(at);
    if (char === '{') open.push(new Set());
    else if (char === '[') open.push(undefined);
    else if (char === '}' || char === ']') open.pop();
    else if (char === '"') {
      const start = at;
      at++;
      while (at < text.length && text.charAt(at) !== '"') at += text.charAt(at) === '\\' ? 2 : 1;
      const keys = open.at(-1);
      if (keys === undefined) continue;
      let next = at + 1;
      while (' \t\n\r'.includes(text.charAt(next)) && next < text.length) next++;
      // A string followed by a colon is a key; any other string in an object is a value.
      if (text.charAt(next) !== ':') continue;
      const key = JSON.parse(text.slice(start, at + 1)) as string;
      if (keys.has(key)) return { key, ...lineAndColumn(text, start) };
      keys.add(key);
    }
  }
  return undefined;
}
