// Reads the plain block-style YAML most API specs are written in without the yaml package, or declines: anything
// outside that subset (and anything this reader is unsure of) returns undefined and goes to the full parser.

/*
 * Loading the yaml package costs a scan of a small estate more than judging it does (issue 14). The subset read here
 * is what OpenAPI documents mostly are: block mappings and sequences (compact `- key: value` items and sequences
 * indented as far as their key included), plain scalars resolved by the YAML 1.2 core schema as the yaml package
 * resolves them, single- and double-quoted strings on one line (no escapes), one-line flow sequences of such
 * scalars (`[https]`), `{}` and comments.
 * Declined (the yaml package decides): anchors, aliases, tags, block scalars (| >), flow mappings with content,
 * nested flow collections,
 * escapes, multi-line scalars, directives and document markers other than a first `---`, tabs, CR and other control
 * characters, complex or non-string keys (integers excepted), duplicate keys, `<<`, `__proto__`, and nesting as
 * deep as `maxDepth`. Declining is always safe; accepting must give exactly the yaml package's value, which the
 * property test in test/domain/plain-yaml.test.ts holds it to.
 */

/**
 * The lines that hold something, as two arrays side by side (no object per line: an estate's API configs are tens
 * of thousands of lines, and what the reader allocates is garbage the moment the analysis is made, issue 14).
 */
interface Lines {
  readonly indents: number[];
  /** Each line without its indentation; may end in spaces and a comment. */
  readonly texts: string[];
}

/** Where splitEntry leaves what follows a key's colon, spaces off (one object per reader, not one per entry). */
interface EntryRest {
  rest: string;
}

/** Thrown inside the reader to decline; never escapes readPlainYaml. */
class Decline extends Error {}

const decline = (): never => {
  throw new Decline();
};

// Control characters (tab and CR included), DEL, C1, BOM, non-characters and the Unicode line separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSUPPORTED_CHARACTER = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;
// A plain scalar cannot start with these (c-indicator), nor with `-`, `?` or `:` followed by a space.
const INDICATOR = /^[[\]{},#&*!|>'"%@`]/;
// The first `:` followed by a space or the end, or the first comment (` #`), whichever comes first.
const INDICATOR_COLON_OR_COMMENT = /:(?= |$)| #/;
// Where a plain scalar can be anything but a string: ~, null, booleans, numbers, .inf and .nan.
const MAYBE_NOT_TEXT = /^[-+.0-9~nNtTfF]|^$/;
// yaml's own limit on an implicit key (the spec's 1024 characters), with room to spare.
const MAX_KEY_LENGTH = 1000;

/**
 * The value of `text` as the yaml package's parseDocument(...).toJS() gives it, or undefined to decline. Collections
 * nested `maxDepth` levels or more are declined, so the full parser's depth check and message apply to them.
 */
export function readPlainYaml(text: string, maxDepth: number): unknown {
  if (UNSUPPORTED_CHARACTER.test(text)) return undefined;
  const indents: number[] = [];
  const texts: string[] = [];
  let first = true;
  // One walk over the text: each line's indentation is counted where it stands and only its content is cut out,
  // blank and comment lines never (an estate's API configs are tens of thousands of lines, issue 14).
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    let at = start;
    while (at < end && text.charCodeAt(at) === SPACE) at++;
    const indent = at - start;
    start = end + 1;
    if (at === end || text.charCodeAt(at) === HASH) continue;
    const content = text.slice(at, end);
    if (indent === 0 && (content.startsWith('---') || content.startsWith('...') || content.startsWith('%'))) {
      // One leading document start marker on its own line; anything else about documents is declined.
      if (!(first && content.replace(/ +$/, '') === '---')) return undefined;
      first = false;
      continue;
    }
    first = false;
    indents.push(indent);
    texts.push(content);
  }
  if (indents[0] !== 0) return undefined;
  try {
    const reader = new Reader({ indents, texts }, maxDepth);
    const value = reader.block(0, 1);
    return reader.done() ? value : undefined;
  } catch (error) {
    if (error instanceof Decline || error instanceof RangeError) return undefined;
    throw error;
  }
}

/** The largest array index (2^32 - 2). */
const LAST_ARRAY_INDEX = 4_294_967_294;

/**
 * `0`, or a decimal without a leading zero up to LAST_ARRAY_INDEX: a key JavaScript keeps among an object's elements.
 */
function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (first < DIGIT_0 || first > DIGIT_9 || key.length > 10) return false;
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) <= LAST_ARRAY_INDEX;
}

/**
 * Makes V8 keep `object`'s indexed keys in a dictionary: an index set and deleted far past any dense store. Without
 * it, a status-code key (`"200":` under `responses`, in every operation of an OpenAPI document) makes a dense store
 * of 200+ slots, ~3.5 KB per responses object: 17 of the 37 MB that reading the 1x estate's 300 configs allocated
 * (issue 14). The object's own keys, their order and values are the same either way; only how V8 stores them differs.
 */
function keepIndexedKeysInADictionary(object: Record<string, unknown>): void {
  object[LAST_ARRAY_INDEX] = null;
  delete object[LAST_ARRAY_INDEX];
}

/** No line: the indentation past the last line, less than any line's. */
const NO_LINE = -1;

class Reader {
  private at = 0;
  private readonly entry: EntryRest = { rest: '' };

  constructor(
    private readonly lines: Lines,
    private readonly maxDepth: number,
  ) {}

  done(): boolean {
    return this.at === this.lines.indents.length;
  }

  /** The current line's indentation, or NO_LINE past the last. */
  private indentHere(): number {
    return this.lines.indents[this.at] ?? NO_LINE;
  }

  /** A mapping or sequence whose first line is the current one, at exactly `indent`; `level` counts collections. */
  block(indent: number, level: number): unknown {
    if (level >= this.maxDepth) decline();
    // No line (NO_LINE) is at no indentation a block starts at.
    if (this.indentHere() !== indent) decline();
    return isSequenceItem(this.lines.texts[this.at] as string)
      ? this.sequence(indent, level)
      : this.mapping(indent, level);
  }

  private mapping(indent: number, level: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const entry = this.entry;
    let indexedKeysKept = false;
    for (let lineIndent = this.indentHere(); lineIndent >= indent; lineIndent = this.indentHere()) {
      const text = this.lines.texts[this.at] as string;
      if (lineIndent > indent || isSequenceItem(text)) decline();
      const key = splitEntry(text, entry) ?? decline();
      if (Object.hasOwn(result, key)) decline();
      if (!indexedKeysKept && isArrayIndex(key)) {
        keepIndexedKeysInADictionary(result);
        indexedKeysKept = true;
      }
      this.at++;
      result[key] = this.value(entry.rest, indent, level, true);
    }
    return result;
  }

  private sequence(indent: number, level: number): unknown[] {
    const result: unknown[] = [];
    for (let lineIndent = this.indentHere(); lineIndent >= indent; lineIndent = this.indentHere()) {
      if (lineIndent > indent) decline();
      const text = this.lines.texts[this.at] as string;
      // The next key of the mapping this sequence is indented as far as (an error anywhere else, found above).
      if (!isSequenceItem(text)) break;
      // What follows the `-`, its spaces off, cut once.
      const restStart = 1 + leadingSpaces(text, 1);
      const rest = text.slice(restStart);
      if (
        rest !== '' &&
        !rest.startsWith('#') &&
        (isSequenceItem(rest) || splitEntry(rest, this.entry) !== undefined)
      ) {
        // A compact collection (`- name: a` then `  in: path`, or `- - a`): it goes on at its first entry's column.
        const column = indent + restStart;
        this.lines.indents[this.at] = column;
        this.lines.texts[this.at] = rest;
        result.push(this.block(column, level + 1));
      } else {
        this.at++;
        result.push(this.value(rest, indent, level, false));
      }
    }
    return result;
  }

  /** What follows `key:` or `-` on a line at `indent`: a scalar there, or a block on the lines below. */
  private value(rest: string, indent: number, level: number, inMapping: boolean): unknown {
    const nextIndent = this.indentHere();
    if (rest === '' || rest.startsWith('#')) {
      if (nextIndent > indent) return this.block(nextIndent, level + 1);
      // A sequence may sit at its key's own indentation.
      if (inMapping && nextIndent === indent && isSequenceItem(this.lines.texts[this.at] as string)) {
        return this.block(indent, level + 1);
      }
      return null;
    }
    // More-indented lines after a scalar continue it (a multi-line scalar) or are an error: either way, declined.
    if (nextIndent > indent) decline();
    return scalar(rest);
  }
}

const SPACE = 32;
const HASH = 35;

/**
 * How many spaces `text` has from `from` on (YAML indents and separates with spaces only: other white space is
 * content). A loop, not a regex: an estate's API configs are thousands of lines, and most have one space to skip.
 */
function leadingSpaces(text: string, from: number): number {
  let at = from;
  while (text.charCodeAt(at) === SPACE) at++;
  return at - from;
}

function isSequenceItem(text: string): boolean {
  return text.startsWith('-') && (text.length === 1 || text[1] === ' ');
}

/**
 * The key of `key: rest`, with `rest` (may be empty) left in `entry`, or undefined when the text is no mapping
 * entry; declines what it cannot read.
 */
function splitEntry(text: string, entry: EntryRest): string | undefined {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const { value, end } = quoted(text);
    // No colon: a quoted scalar (its own reader checks what follows it). `"key" :` is left to the full parser.
    if (text.charCodeAt(end) !== COLON) return undefined;
    if (end + 1 < text.length && text.charCodeAt(end + 1) !== SPACE) decline();
    entry.rest = rest(text, end);
    return checkedKey(value);
  }
  const colon = indicatorColon(text);
  if (colon === undefined) return undefined;
  const key = text.slice(0, colon);
  if (!isPlainStart(key) || key.endsWith(' ')) decline();
  const resolved = resolvePlain(key);
  // An integer key becomes its decimal text in a JavaScript object; other non-string keys are declined.
  if (typeof resolved === 'number' && /^(0|[1-9][0-9]{0,14})$/.test(key)) {
    entry.rest = rest(text, colon);
    return key;
  }
  if (typeof resolved !== 'string') decline();
  entry.rest = rest(text, colon);
  return checkedKey(key);
}

/** What follows the colon at `colon`, its spaces off, cut once. */
function rest(text: string, colon: number): string {
  return text.slice(colon + 1 + leadingSpaces(text, colon + 1));
}

function checkedKey(key: string): string {
  if (key.length > MAX_KEY_LENGTH || key === '<<' || key === '__proto__') decline();
  return key;
}

/** Index of the `:` that ends a plain key (followed by a space or the end), or undefined; a comment first declines. */
function indicatorColon(text: string): number | undefined {
  // One native search rather than a loop over characters (small estates run this in the interpreter); search, not
  // exec, so no match array is made for each line of a big estate's configs.
  const found = text.search(INDICATOR_COLON_OR_COMMENT);
  return found < 0 || text.charCodeAt(found) !== COLON ? undefined : found;
}

const COLON = 58;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/** A value written on the line: quoted, `[]`, `{}` or plain; a trailing comment is dropped. */
function scalar(text: string): unknown {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const { value, end } = quoted(text);
    const after = text.slice(end);
    if (!/^ *$|^ +#/.test(after)) decline();
    return value;
  }
  if (quote === '[') return flowSequence(text);
  const plain = withoutComment(text);
  if (plain === '{}') return {};
  if (!isPlainStart(plain) || indicatorColon(plain) !== undefined) decline();
  return resolvePlain(plain);
}

/**
 * A one-line flow sequence of scalars (`schemes: [https]`, `[]`): nothing nested, no colon, comment mark or quote
 * in a plain item, no comma or bracket in a quoted one (the text is split at commas), no empty item.
 */
function flowSequence(text: string): unknown[] {
  const close = text.indexOf(']');
  if (close < 0 || !/^ *$|^ +#/.test(text.slice(close + 1))) decline();
  const inner = text.slice(1, close);
  if (/[[{}]/.test(inner)) decline();
  if (/^ *$/.test(inner)) return [];
  return inner.split(',').map((item) => flowItem(item.replace(/^ +| +$/g, '')));
}

function flowItem(text: string): unknown {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const { value, end } = quoted(text);
    if (end !== text.length) decline();
    return value;
  }
  if (!isPlainStart(text) || /[:#'"]/.test(text)) decline();
  return resolvePlain(text);
}

function withoutComment(text: string): string {
  const comment = text.indexOf(' #');
  const kept = comment < 0 ? text : text.slice(0, comment);
  // Most values end in no space: no regular expression for them.
  return kept.charCodeAt(kept.length - 1) === SPACE ? kept.replace(/ +$/, '') : kept;
}

function isPlainStart(text: string): boolean {
  if (text === '' || INDICATOR.test(text)) return false;
  return !('-?:'.includes(text[0] as string) && (text.length === 1 || text[1] === ' '));
}

/** A one-line quoted scalar from the start of `text`; escapes and line breaks are declined. */
function quoted(text: string): { value: string; end: number } {
  const quote = text[0] as string;
  if (quote === '"') {
    const end = text.indexOf('"', 1);
    const value = end < 0 ? decline() : text.slice(1, end);
    if (value.includes('\\')) decline();
    return { value, end: end + 1 };
  }
  // '' inside single quotes is one quote.
  let value = '';
  for (let from = 1; ; ) {
    const end = text.indexOf("'", from);
    if (end < 0) decline();
    value += text.slice(from, end);
    if (text[end + 1] !== "'") return { value, end: end + 1 };
    value += "'";
    from = end + 2;
  }
}

/** A plain scalar as the YAML 1.2 core schema resolves it, tested in the yaml package's order. */
function resolvePlain(text: string): unknown {
  if (!MAYBE_NOT_TEXT.test(text)) return text;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) return text[0] === 't' || text[0] === 'T';
  if (/^0o[0-7]+$/.test(text)) return Number.parseInt(text.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(text)) return Number.parseInt(text, 10);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
    if (text.slice(-3).toLowerCase() === 'nan') return Number.NaN;
    return text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text)) return Number.parseFloat(text);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) return Number.parseFloat(text);
  return text;
}
