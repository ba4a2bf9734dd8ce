// Parses YAML (or JSON) documents from users and API configs in bounded time: duplicate keys are found in one linear
// pass (the yaml package's own check compares every key with every other), nesting and aliases are capped.

import { createRequire } from 'node:module';
import type { ErrorCode, Node, parseDocument } from 'yaml';
import { readPlainYaml } from './plain-yaml.js';
import { isNestedDeeperThan } from './record-shape.js';

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;

/**
 * The yaml package, loaded the first time a YAML text is parsed: it is a third of what the rule catalogue costs to
 * load, and `gatewarden rules`, JSON-only API specs and most commands never need it (issue 14). It is CommonJS for
 * Node, so a synchronous require keeps this function synchronous.
 */
function yaml(): YamlModule {
  yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yamlModule;
}

export interface YamlLimits {
  /** Aliases expanded when converting: each can multiply the document ("billion laughs"). */
  readonly maxAliasCount: number;
  /** Deepest nesting of collections. */
  readonly maxDepth: number;
  /** Unresolved tags and other warnings count as problems (a policy file), or are ignored (an API spec). */
  readonly warningsAreErrors?: boolean;
}

export type YamlOutcome =
  | { readonly ok: true; readonly value: unknown }
  /** `problem` is one line; `line` and `column` are 1-based when the parser knows where. */
  | { readonly ok: false; readonly problem: string; readonly line?: number; readonly column?: number };

export function parseYamlText(text: string, limits: YamlLimits): YamlOutcome {
  // Most API specs are JSON: JSON.parse reads them many times faster than a YAML parser (last duplicate key wins).
  if (/^\s*[{[]/.test(text)) {
    try {
      const value: unknown = JSON.parse(text);
      if (isNestedDeeperThan(value, limits.maxDepth)) {
        return { ok: false, problem: `nested deeper than ${limits.maxDepth} levels` };
      }
      return { ok: true, value };
    } catch {
      // Not JSON after all: flow-style YAML starts the same way.
    }
  }
  // Most YAML specs are plain block mappings, read without loading the yaml package (issue 14): plain-yaml.ts
  // returns exactly what the package would, or declines and the package reads the text.
  const plain = readPlainYaml(text, limits.maxDepth);
  if (plain !== undefined) return { ok: true, value: plain };
  return parseYamlWithPackage(text, limits);
}

/** The yaml package's reading of any YAML text, with the limits; exported for the test holding plain-yaml.ts to it. */
export function parseYamlWithPackage(text: string, limits: YamlLimits): YamlOutcome {
  let document: ReturnType<typeof parseDocument>;
  try {
    document = yaml().parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  } catch (error) {
    return failure(error);
  }
  const [problem] = limits.warningsAreErrors ? [...document.errors, ...document.warnings] : document.errors;
  if (problem) {
    const at = problem.linePos?.[0];
    return {
      ok: false,
      problem: describeYamlError(problem.code, problem.message),
      ...(at ? { line: at.line, column: at.col } : {}),
    };
  }
  const structural = checkStructure(document.contents as Node | null, text, limits.maxDepth);
  if (structural) return structural;
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: limits.maxAliasCount }) };
  } catch (error) {
    return failure(error);
  }
}

/** Duplicate keys and depth, in one walk with an explicit stack (the document's depth never sets ours). */
function checkStructure(root: Node | null, text: string, maxDepth: number): YamlOutcome | undefined {
  const stack: { readonly node: unknown; readonly depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (yaml().isMap(node)) {
      if (depth + 1 > maxDepth) return tooDeep(node, text, maxDepth);
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (!yaml().isPair(pair)) continue;
        const key = pair.key;
        // Scalars compare by value, as the yaml package does; a collection used as a key is its own identity.
        const identity = yaml().isScalar(key) ? key.value : key;
        if (seen.has(identity)) {
          return {
            ok: false,
            problem: `Map keys must be unique (${describeKey(identity)})`,
            ...positionOf(key, text),
          };
        }
        seen.add(identity);
        stack.push({ node: key, depth: depth + 1 }, { node: pair.value, depth: depth + 1 });
      }
    } else if (yaml().isSeq(node)) {
      if (depth + 1 > maxDepth) return tooDeep(node, text, maxDepth);
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

function tooDeep(node: Node, text: string, maxDepth: number): YamlOutcome {
  return { ok: false, problem: `nested deeper than ${maxDepth} levels`, ...positionOf(node, text) };
}

function describeKey(key: unknown): string {
  const text = typeof key === 'string' ? JSON.stringify(key) : String(key);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function positionOf(node: unknown, text: string): { line?: number; column?: number } {
  const range = (node as { range?: readonly number[] } | null)?.range;
  const offset = range?.[0];
  if (typeof offset !== 'number') return {};
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

// The yaml package's messages for these codes are fixed text (or name only its own words, like `flow map`);
// messages of other codes quote the document (`Unresolved tag: !SECRET`, `Unknown directive %...`, `Invalid escape
// sequence \q`, a token's source), and a file passed by mistake may hold secrets, so those are said in our words.
const QUOTES_NOTHING: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ALIAS_PROPS',
  'BAD_ALIAS',
  'BAD_INDENT',
  'BLOCK_AS_IMPLICIT_KEY',
  'BLOCK_IN_FLOW',
  'DUPLICATE_KEY',
  'IMPOSSIBLE',
  'KEY_OVER_1024_CHARS',
  'MISSING_CHAR',
  'MULTILINE_IMPLICIT_KEY',
  'MULTIPLE_ANCHORS',
  'MULTIPLE_DOCS',
  'MULTIPLE_TAGS',
  'NON_STRING_KEY',
  'TAB_AS_INDENT',
]);

const OUR_WORDS: Readonly<Partial<Record<ErrorCode, string>>> = {
  BAD_COLLECTION_TYPE: 'a tag for another kind of collection',
  BAD_DIRECTIVE: 'an unknown or unsupported directive',
  BAD_DQ_ESCAPE: 'an invalid escape sequence in a double-quoted string',
  BAD_PROP_ORDER: 'an anchor or tag before its indicator',
  BAD_SCALAR_START: 'a plain value starting with a reserved character',
  RESOURCE_EXHAUSTION: 'too many aliases or too deeply nested to read',
  TAG_RESOLVE_FAILED: 'an unresolved tag (only the YAML core schema is read)',
  UNEXPECTED_TOKEN: 'an unexpected token',
};

/** One line saying what is wrong, naming no byte of the document. */
function describeYamlError(code: ErrorCode, message: string): string {
  return QUOTES_NOTHING.has(code) ? firstLine(message) : (OUR_WORDS[code] ?? 'not readable as YAML');
}

// What converting throws: the alias limit (fixed text), or an alias naming no anchor (whose message quotes it).
const ALIAS_LIMIT = /^Excessive alias count indicates a resource exhaustion attack$/;

function failure(error: unknown): YamlOutcome {
  // A RangeError here is the composer's own recursion meeting a document nested past the stack.
  if (error instanceof RangeError) return { ok: false, problem: 'nested too deeply to read' };
  const message = error instanceof Error ? error.message : String(error);
  if (ALIAS_LIMIT.test(message)) return { ok: false, problem: message };
  if (message.startsWith('Unresolved alias')) return { ok: false, problem: 'an alias before its anchor' };
  return { ok: false, problem: 'not readable as YAML' };
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').slice(0, 200);
}
