// The plain-YAML reader as it was before its lines became two arrays and its indexed keys a dictionary (issue 14,
// main at 76afa08), kept verbatim but for this header and its name: the reference the differential test compares with.
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

interface Line {
  readonly indent: number;
  /** The line without its indentation; may end in spaces and a comment. */
  readonly text: string;
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
export function readPlainYamlBefore(text: string, maxDepth: number): unknown {
  if (UNSUPPORTED_CHARACTER.test(text)) return undefined;
  const lines: Line[] = [];
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
    lines.push({ indent, text: content });
  }
  if (lines[0]?.indent !== 0) return undefined;
  try {
    const reader = new Reader(lines, maxDepth);
    const value = reader.block(0, 1);
    return reader.done() ? value : undefined;
  } catch (error) {
    if (error instanceof Decline || error instanceof RangeError) return undefined;
    throw error;
  }
}

class Reader {
  private at = 0;

  constructor(
    private readonly lines: Line[],
    private readonly maxDepth: number,
  ) {}

  done(): boolean {
    return this.at === this.lines.length;
  }

  /** A mapping or sequence whose first line is the current one, at exactly `indent`; `level` counts collections. */
  block(indent: number, level: number): unknown {
    if (level >= this.maxDepth) decline();
    const line = this.lines[this.at] ?? decline();
    if (line.indent !== indent) decline();
    return isSequenceItem(line.text) ? this.sequence(indent, level) : this.mapping(indent, level);
  }

  private mapping(indent: number, level: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (let line = this.lines[this.at]; line && line.indent >= indent; line = this.lines[this.at]) {
      if (line.indent > indent || isSequenceItem(line.text)) decline();
      const entry = splitEntry(line.text) ?? decline();
      if (Object.hasOwn(result, entry.key)) decline();
      this.at++;
      result[entry.key] = this.value(entry.rest, indent, level, true);
    }
    return result;
  }

  private sequence(indent: number, level: number): unknown[] {
    const result: unknown[] = [];
    for (let line = this.lines[this.at]; line && line.indent >= indent; line = this.lines[this.at]) {
      if (line.indent > indent) decline();
      // The next key of the mapping this sequence is indented as far as (an error anywhere else, found above).
      if (!isSequenceItem(line.text)) break;
      const after = line.text.slice(1);
      const rest = spacesOff(after);
      if (rest !== '' && !rest.startsWith('#') && (isSequenceItem(rest) || splitEntry(rest) !== undefined)) {
        // A compact collection (`- name: a` then `  in: path`, or `- - a`): it goes on at its first entry's column.
        const column = indent + 1 + (after.length - rest.length);
        this.lines[this.at] = { indent: column, text: rest };
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
    const next = this.lines[this.at];
    if (rest === '' || rest.startsWith('#')) {
      if (next && next.indent > indent) return this.block(next.indent, level + 1);
      // A sequence may sit at its key's own indentation.
      if (inMapping && next && next.indent === indent && isSequenceItem(next.text)) {
        return this.block(indent, level + 1);
      }
      return null;
    }
    // More-indented lines after a scalar continue it (a multi-line scalar) or are an error: either way, declined.
    if (next && next.indent > indent) decline();
    return scalar(rest);
  }
}

/** YAML indents and separates with spaces only: other white space is content. */
function spacesOff(text: string): string {
  const spaces = leadingSpaces(text);
  return spaces === 0 ? text : text.slice(spaces);
}

const SPACE = 32;
const HASH = 35;

// A loop, not a regex replace: an estate's API configs are thousands of lines, and most have no spaces to take off.
function leadingSpaces(text: string): number {
  let spaces = 0;
  while (text.charCodeAt(spaces) === SPACE) spaces++;
  return spaces;
}

function isSequenceItem(text: string): boolean {
  return text.startsWith('-') && (text.length === 1 || text[1] === ' ');
}

/** `key: rest` (rest may be empty), or undefined when the text is no mapping entry; declines what it cannot read. */
function splitEntry(text: string): { key: string; rest: string } | undefined {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const { value, end } = quoted(text);
    const after = text.slice(end);
    // No colon: a quoted scalar (its own reader checks what follows it). `"key" :` is left to the full parser.
    if (!after.startsWith(':')) return undefined;
    if (after.length > 1 && after[1] !== ' ') decline();
    return { key: checkedKey(value), rest: spacesOff(after.slice(1)) };
  }
  const colon = indicatorColon(text);
  if (colon === undefined) return undefined;
  const key = text.slice(0, colon);
  if (!isPlainStart(key) || key.endsWith(' ')) decline();
  const resolved = resolvePlain(key);
  // An integer key becomes its decimal text in a JavaScript object; other non-string keys are declined.
  if (typeof resolved === 'number' && /^(0|[1-9][0-9]{0,14})$/.test(key))
    return { key, rest: rest(text, colon) };
  if (typeof resolved !== 'string') decline();
  return { key: checkedKey(key), rest: rest(text, colon) };
}

function rest(text: string, colon: number): string {
  return spacesOff(text.slice(colon + 1));
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
