// Errors of user-supplied config files: one line naming the file, the key path and what is wrong.

import type { z } from 'zod';
import { InputFileError, readInputText } from '../adapters/files/input-file.js';

/** Bad input in a config file; the CLI maps any of these to exit code 2. */
export class ConfigFileError extends Error {
  override readonly name: string = 'ConfigFileError';
  readonly badInput = true;
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly keyPath: string,
    readonly problem: string,
  ) {
    super(keyPath ? `${file}: ${keyPath}: ${problem}` : `${file}: ${problem}`);
  }
}

const PLAIN_KEY = /^[A-Za-z0-9_.-]+$/;

/** `exemptions[0].reason`, `rules.backend.no-port.severity`, `resources["//compute.../x"].fields`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && PLAIN_KEY.test(key)) text += text ? `.${key}` : key;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}

type Issue = z.core.$ZodIssue;

/**
 * `z.record`, except that an own `__proto__` key (JSON.parse and the YAML reader both make one) is judged by the
 * key schema like any other key: zod skips it without a word (it cannot be assigned to a plain object), so
 * `rules: {__proto__: {enabled: garbage}}` was accepted where any other unknown rule ID is refused. `zod` is passed
 * in because some readers load it lazily.
 */
export function recordJudgingEveryKey<
  Key extends z.core.$ZodRecordKey & z.ZodType,
  Value extends z.core.SomeType,
>(zod: typeof z, key: Key, value: Value) {
  return zod.preprocess(
    (input, ctx) => {
      if (typeof input === 'object' && input !== null && Object.hasOwn(input, '__proto__')) {
        const judged = key.safeParse('__proto__');
        ctx.addIssue({
          code: 'invalid_key',
          origin: 'record',
          input: '__proto__',
          path: ['__proto__'],
          issues: judged.success
            ? [{ code: 'custom', input: '__proto__', path: [], message: 'not a usable key' }]
            : judged.error.issues,
        });
      }
      return input;
    },
    zod.record(key, value),
  );
}

/**
 * The one issue to report: an unknown top-level key first (a misspelt section explains the errors it
 * causes elsewhere), otherwise the first in document order.
 */
export function pickIssue(issues: readonly Issue[]): Issue | undefined {
  return issues.find((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0) ?? issues[0];
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

/** Plain words for what is wrong; our own refinements already carry their message. */
export function describeIssue(issue: Issue): {
  readonly path: readonly PropertyKey[];
  readonly problem: string;
} {
  switch (issue.code) {
    case 'invalid_type':
      // Zod reports `input` only when a value was there: without it the key is missing; YAML `key:` gives null.
      return {
        path: issue.path,
        problem: isMissing(issue) ? 'required' : `must be ${typeName(issue.expected)}`,
      };
    case 'unrecognized_keys':
      return { path: [...issue.path, issue.keys[0] ?? ''], problem: 'unknown key' };
    case 'invalid_key':
      return { path: issue.path, problem: issue.issues[0]?.message ?? 'invalid key' };
    case 'invalid_value':
      return {
        path: issue.path,
        problem:
          issue.values.length === 1
            ? `must be ${JSON.stringify(issue.values[0])}`
            : `must be one of ${issue.values.map(String).join(', ')}`,
      };
    case 'too_small':
      return {
        path: issue.path,
        problem:
          issue.origin === 'string' ? 'must not be empty' : `must have at least ${issue.minimum} entries`,
      };
    default:
      return { path: issue.path, problem: issue.message };
  }
}

function isMissing(issue: Issue & { readonly expected: string }): boolean {
  const input: unknown = 'input' in issue ? issue.input : undefined;
  return input === undefined || (input === null && issue.expected === 'string');
}

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? `a ${expected}`;
}

/** Reads a config file's text (a regular file, at most `maxBytes`): every failure is one line naming the file. */
export async function readConfigText(
  path: string,
  maxBytes: number,
  toError: (problem: string) => ConfigFileError,
): Promise<string> {
  try {
    return await readInputText(path, maxBytes);
  } catch (error) {
    if (error instanceof InputFileError) {
      throw toError(
        error.code === 'ENOENT'
          ? 'file not found'
          : error.code === 'EACCES'
            ? 'permission denied'
            : error.problem,
      );
    }
    throw error;
  }
}
