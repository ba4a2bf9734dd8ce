// Reads a gcloud export's JSON. Below the streaming threshold the bytes are parsed whole; above it a top-level array
// (every gcloud export) is read in chunks and parsed in batches of whole records, so an export larger than the
// longest string V8 can hold still loads, and a record nested absurdly deep is refused by position. Both ways give
// the same records and the same one-line problems.

import {
  decodeText,
  describeReason,
  lineAndColumn,
  locateJsonError,
  parseJsonText,
  syntaxProblem,
} from '../../domain/json-text.js';
import { isContainerDeeperThan, isNestedDeeperThan } from '../../domain/record-shape.js';

export type JsonReadOutcome =
  | { readonly ok: true; readonly value: unknown }
  /** `problem` is one clause without the file name: `not valid JSON at line 3, column 7: ...`. */
  | { readonly ok: false; readonly problem: string };

export interface JsonReadOptions {
  /** Deepest nesting a record of a top-level array may have (the record itself is level 1). */
  readonly maxRecordDepth: number;
  /** Records are parsed in batches of about this many bytes. */
  readonly batchBytes?: number;
  /** Input that is not a top-level array is parsed in one piece, up to this size. */
  readonly maxWholeBytes?: number;
  /** A record of a streamed top-level array larger than this is refused: its bytes are held until it ends. */
  readonly maxRecordBytes?: number;
}

const DEFAULT_BATCH_BYTES = 8 * 1024 * 1024;
// V8 strings stop near 512 M UTF-16 units; a document that must be parsed whole stays well below.
const DEFAULT_MAX_WHOLE_BYTES = 256 * 1024 * 1024;
/**
 * gcloud records are kilobytes; the largest real one is an API config, whose OpenAPI documents (up to
 * MAX_DOCUMENT_BYTES, 4 MB, each) are base64 in the record: 64 MiB holds a dozen of those. It is also above the
 * loader's streaming threshold (32 MiB), so an export read whole can never hold a record the streamed reader refuses.
 */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/**
 * Reads JSON held whole in memory (an export below the streaming threshold) at about the cost of one JSON.parse,
 * plus a walk that checks each record's depth. Anything it refuses is read again by the streamed reader over the
 * same bytes, so a bad export gets the very same one-line problem (with its line and column) either way.
 */
export async function parseJsonBytes(bytes: Uint8Array, options: JsonReadOptions): Promise<JsonReadOutcome> {
  if (bytes.length <= (options.maxWholeBytes ?? DEFAULT_MAX_WHOLE_BYTES)) {
    const parsed = parseOrUndefined(decodeText(bytes));
    if (parsed !== undefined && !hasRecordDeeperThan(parsed.value, options.maxRecordDepth)) {
      return { ok: true, value: parsed.value };
    }
  }
  return parseJsonChunks(oneChunk(bytes), options);
}

/**
 * The value of a file's text as decoded from UTF-8 with nothing stripped (InputFile.utf8), when it is JSON that
 * parseJsonBytes would accept from the same bytes; undefined for anything else, which the caller reads again as
 * bytes for parseJsonBytes to refuse in its own words. A leading byte-order mark goes as decodeText drops it (up to
 * two); a UTF-16 export decodes to U+FFFD here and is never JSON, so it too is read as bytes.
 */
export function parseUtf8TextIfValid(
  text: string,
  options: Pick<JsonReadOptions, 'maxRecordDepth'>,
): { readonly value: unknown } | undefined {
  const parsed = parseUtf8Text(text);
  return parsed !== undefined && !hasRecordDeeperThan(parsed.value, options.maxRecordDepth)
    ? parsed
    : undefined;
}

/**
 * parseUtf8TextIfValid without the depth check, for a caller that checks each record's depth in a walk of its own
 * (the estate loader's, with the shape) and reads the file again through the byte readers when one is too deep.
 */
export function parseUtf8Text(text: string): { readonly value: unknown } | undefined {
  const boms = text.charCodeAt(0) !== BOM ? 0 : text.charCodeAt(1) !== BOM ? 1 : 2;
  return parseOrUndefined(boms === 0 ? text : text.slice(boms));
}

const BOM = 0xfeff;

function parseOrUndefined(text: string): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** True when `value` is an array one of whose records nests deeper than `maxDepth` (the record is level 1). */
export function hasRecordDeeperThan(value: unknown, maxDepth: number): boolean {
  if (!Array.isArray(value)) return false;
  for (let index = 0; index < value.length; index++) {
    const record: unknown = value[index];
    if (typeof record === 'object' && record !== null && isContainerDeeperThan(record, maxDepth)) return true;
  }
  return false;
}

/** Reads JSON from chunks of bytes; a top-level array is streamed record by record. */
export async function parseJsonChunks(
  chunks: AsyncIterable<Uint8Array>,
  options: JsonReadOptions,
): Promise<JsonReadOutcome> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let first = -1;
  // Peek until the first significant byte says whether this is an array.
  for (let headBytes = 0; first < 0; ) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    const joined = head.length === 1 ? next.value : Buffer.concat(head);
    const start = joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf ? 3 : 0;
    if (joined[0] === 0xff || joined[0] === 0xfe) break;
    for (let index = start; index < joined.length; index++) {
      if (!isSpace(joined[index] as number)) {
        first = joined[index] as number;
        break;
      }
    }
    headBytes = joined.length;
    if (headBytes > 64 * 1024 * 1024) break;
  }
  if (first !== OPEN_BRACKET) {
    return parseWhole(
      head,
      iterator,
      options.maxWholeBytes ?? DEFAULT_MAX_WHOLE_BYTES,
      options.maxRecordDepth,
    );
  }
  const scanner = new ArrayScanner(options);
  for (const chunk of head) {
    const problem = scanner.feed(chunk);
    if (problem) return { ok: false, problem };
  }
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    const problem = scanner.feed(next.value);
    if (problem) return { ok: false, problem };
  }
  return scanner.finish();
}

async function parseWhole(
  head: Uint8Array[],
  rest: AsyncIterator<Uint8Array>,
  maxWholeBytes: number,
  maxRecordDepth: number,
): Promise<JsonReadOutcome> {
  const parts = [...head];
  let total = parts.reduce((sum, part) => sum + part.length, 0);
  for (;;) {
    if (total > maxWholeBytes) {
      return {
        ok: false,
        problem: `is not a JSON array and is larger than ${Math.round(maxWholeBytes / (1024 * 1024))} MiB`,
      };
    }
    const next = await rest.next();
    if (next.done) break;
    parts.push(next.value);
    total += next.value.length;
  }
  const parsed = parseJsonText(
    decodeText(parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts)),
  );
  if (!parsed.ok) return { ok: false, problem: syntaxProblem(parsed.line, parsed.column, parsed.reason) };
  // A UTF-16 export is an array parsed whole: its records get the depth check the scanner gives the others.
  if (Array.isArray(parsed.value)) {
    const deep = parsed.value.findIndex((record) => isNestedDeeperThan(record, maxRecordDepth));
    if (deep >= 0)
      return { ok: false, problem: `record .[${deep}] is nested deeper than ${maxRecordDepth} levels` };
  }
  return parsed;
}

/**
 * Finds the records of a top-level array by scanning bytes (strings and nesting only; JSON.parse checks the rest)
 * and parses them in batches of whole records, each batch as one small array.
 */
class ArrayScanner {
  private readonly maxDepth: number;
  private readonly batchBytes: number;
  private readonly maxRecordBytes: number;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly values: unknown[] = [];
  private started = false;
  private ended = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private line = 1;
  private column = 1;
  /** Index of the record being scanned. */
  private record = 0;
  private recordHasContent = false;
  /** The line of the record's first byte, once it has one. */
  private recordLine = 1;
  /** Where the record being scanned starts in the batch (bytes from the batch's start). */
  private recordStart = 0;
  private afterComma = false;
  // The batch being gathered: pieces of chunks, and where it starts in the file.
  private pieces: Uint8Array[] = [];
  private pendingBytes = 0;
  private batchLine = 1;
  private batchColumn = 1;

  constructor(options: JsonReadOptions) {
    this.maxDepth = options.maxRecordDepth;
    this.batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
    this.maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  }

  /** Scans one chunk; a problem ends the read. */
  feed(chunk: Uint8Array): string | undefined {
    let pieceStart = 0;
    let index = 0;
    // A UTF-8 byte-order mark before the array is not content.
    if (!this.started && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) index = 3;
    while (index < chunk.length) {
      if (this.inString) {
        index = this.scanString(chunk, index);
        continue;
      }
      const byte = chunk[index] as number;
      if (!this.started || this.ended) {
        if (!isSpace(byte)) {
          if (this.ended || byte !== OPEN_BRACKET) return this.unexpected('after the array');
          this.started = true;
          this.depth = 1;
          pieceStart = index + 1;
          this.startBatch(1);
        }
      } else if (byte === QUOTE) {
        this.inString = true;
        this.startRecordContent();
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        this.startRecordContent();
        this.depth++;
        if (this.depth - 1 > this.maxDepth) {
          return `record .[${this.record}] is nested deeper than ${this.maxDepth} levels (line ${this.line})`;
        }
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 0) {
          if (byte === CLOSE_BRACE || (!this.recordHasContent && this.afterComma)) return this.unexpected();
          const tooLarge = this.recordTooLarge(index - pieceStart);
          if (tooLarge) return tooLarge;
          this.pieces.push(chunk.subarray(pieceStart, index));
          const problem = this.flush();
          if (problem) return problem;
          this.ended = true;
        }
      } else if (byte === COMMA && this.depth === 1) {
        if (!this.recordHasContent) return this.unexpected();
        const tooLarge = this.recordTooLarge(index - pieceStart);
        if (tooLarge) return tooLarge;
        this.record++;
        this.recordHasContent = false;
        this.afterComma = true;
        if (this.pendingBytes + (index - pieceStart) >= this.batchBytes) {
          this.pieces.push(chunk.subarray(pieceStart, index));
          const problem = this.flush();
          if (problem) return problem;
          pieceStart = index + 1;
          this.startBatch(1);
        } else {
          this.recordStart = this.pendingBytes + (index + 1 - pieceStart);
        }
      } else if (!isSpace(byte)) {
        this.startRecordContent();
      }
      if (byte === NEWLINE) {
        this.line++;
        this.column = 1;
      } else if ((byte & 0xc0) !== 0x80) {
        this.column++;
      }
      index++;
    }
    if (this.started && !this.ended && pieceStart < chunk.length) {
      const piece = chunk.subarray(pieceStart);
      this.pieces.push(piece);
      this.pendingBytes += piece.length;
      // A record that has not ended yet is checked here, once a chunk, so one that never ends (an export cut off, or
      // a sparse file of zeros after `["`) is refused at about the bound instead of gathered whole.
      return this.recordTooLarge(0);
    }
    return undefined;
  }

  private startRecordContent(): void {
    if (!this.recordHasContent) this.recordLine = this.line;
    this.recordHasContent = true;
  }

  /** The problem when the record scanned so far, plus `unpieced` bytes of this chunk, is past the bound. */
  private recordTooLarge(unpieced: number): string | undefined {
    if (this.pendingBytes + unpieced - this.recordStart <= this.maxRecordBytes) return undefined;
    const line = this.recordHasContent ? this.recordLine : this.line;
    return `record .[${this.record}] is larger than ${formatBytes(this.maxRecordBytes)} (it starts at line ${line})`;
  }

  /**
   * Scans a string's content from `from` through its closing quote (or to the end of the chunk) and returns the
   * index after it. Most of an export's bytes are inside strings, so this loop keeps its state in locals: fields of
   * `this` are loaded and stored on every byte, which made the scanner about twice as slow as JSON.parse.
   */
  private scanString(chunk: Uint8Array, from: number): number {
    let escaped = this.escaped;
    let line = this.line;
    let column = this.column;
    let index = from;
    let closed = false;
    while (index < chunk.length && !closed) {
      const byte = chunk[index] as number;
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else closed = byte === QUOTE;
      if (byte === NEWLINE) {
        line++;
        column = 1;
      } else if ((byte & 0xc0) !== 0x80) {
        column++;
      }
      index++;
    }
    this.escaped = escaped;
    this.line = line;
    this.column = column;
    this.inString = !closed;
    return index;
  }

  finish(): JsonReadOutcome {
    if (!this.ended)
      return { ok: false, problem: syntaxProblem(this.line, this.column, 'unexpected end of input') };
    return { ok: true, value: this.values };
  }

  /** The batch starts `offset` characters after the current position (the byte after `[` or `,`). */
  private startBatch(offset: number): void {
    this.pieces = [];
    this.pendingBytes = 0;
    this.recordStart = 0;
    this.batchLine = this.line;
    this.batchColumn = this.column + offset;
  }

  private flush(): string | undefined {
    const bytes = this.pieces.length === 1 ? (this.pieces[0] as Uint8Array) : Buffer.concat(this.pieces);
    this.pieces = [];
    this.pendingBytes = 0;
    let text: string;
    try {
      text = `[${this.decoder.decode(bytes)}]`;
    } catch {
      return `record .[${this.record}] is too large to read`;
    }
    try {
      const batch = JSON.parse(text) as unknown[];
      for (const value of batch) this.values.push(value);
      return undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const offset = locateJsonError(text);
      const local = lineAndColumn(text, offset);
      // The batch text starts with the `[` this scanner added: one column before the batch's first byte.
      const line = this.batchLine + local.line - 1;
      const column = local.line === 1 ? this.batchColumn + local.column - 2 : local.column;
      const reason = offset >= text.length ? 'unexpected character' : describeReason(message, text, offset);
      return syntaxProblem(line, column, reason);
    }
  }

  // The character goes unnamed: text after the array may be anything (a secret pasted by mistake).
  private unexpected(where = ''): string {
    return syntaxProblem(this.line, this.column, `unexpected character${where ? ` ${where}` : ''}`);
  }
}

/** `64 MiB`, or the exact bytes when a bound is not whole mebibytes (tests use small ones). */
function formatBytes(bytes: number): string {
  const mebibytes = bytes / (1024 * 1024);
  return Number.isInteger(mebibytes) ? `${mebibytes} MiB` : `${bytes} bytes`;
}
