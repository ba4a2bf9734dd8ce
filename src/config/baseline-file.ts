// Baseline files (`baseline.json`): read and validated with errors naming file and key, written in a stable form.

import { createRequire } from 'node:module';
import { writeOutputFile } from '../adapters/files/output-file.js';
import type { Baseline, BaselineEntry } from '../domain/baseline.js';
import { parseJsonOrProblem } from '../domain/json-text.js';
import { isNestedDeeperThan } from '../domain/record-shape.js';
import { parseResourceRef } from '../domain/resource-name.js';
import { stableJson } from '../domain/stable-json.js';
import { isFieldPath, MAX_GOVERNED_DEPTH } from '../rules/drift/governed-fields.js';
import {
  ConfigFileError,
  describeIssue,
  formatKeyPath,
  pickIssue,
  readConfigText,
  recordJudgingEveryKey,
} from './config-error.js';

export class BaselineError extends ConfigFileError {
  override readonly name = 'BaselineError';
}

// An organisation-wide baseline of tens of thousands of resources stays well under this.
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function isTimestamp(value: string): boolean {
  return TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

function isResourceName(value: string): boolean {
  return value.startsWith('//') && parseResourceRef(value) !== undefined;
}

type Zod = typeof import('zod');
let schema: ReturnType<typeof buildSchema> | undefined;

/**
 * The schema, built the first time a baseline fails the hand-written check below: zod is most of what a scan of a
 * small estate would load (issue 14), and only a bad file needs its issues. zod ships CommonJS for Node, so a
 * synchronous require keeps parseBaseline synchronous.
 */
export function baselineSchema(): ReturnType<typeof buildSchema> {
  schema ??= buildSchema(createRequire(import.meta.url)('zod') as Zod);
  return schema;
}

function buildSchema({ z }: Zod) {
  const timestamp = z.string().check((ctx) => {
    if (!isTimestamp(ctx.value)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: 'must be an ISO timestamp with a time zone',
      });
    }
  });

  const resourceName = z.string().check((ctx) => {
    if (!isResourceName(ctx.value)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message:
          'not a full resource name (like //compute.googleapis.com/projects/P/global/backendServices/N)',
      });
    }
  });

  const fieldPath = z.string().check((ctx) => {
    if (!isFieldPath(ctx.value)) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: 'not a field path (like iap.enabled)' });
    }
  });

  return z.strictObject({
    version: z.literal(1),
    savedAt: timestamp,
    resources: recordJudgingEveryKey(
      z,
      resourceName,
      z.strictObject({
        fields: recordJudgingEveryKey(z, fieldPath, z.unknown()),
        approvedBy: z.string().min(1).optional(),
        approvedAt: timestamp.optional(),
      }),
    ),
  });
}

const BASELINE_KEYS = new Set(['version', 'savedAt', 'resources']);
const ENTRY_KEYS = new Set(['fields', 'approvedBy', 'approvedAt']);

/**
 * The baseline exactly as the schema returns it (same objects, same key order), or undefined when anything is off:
 * then the schema reads the file again and says what. Stricter than the schema never matters (the schema decides);
 * looser would let a bad file through, which test/config/baseline-file.test.ts checks against the schema.
 */
export function validBaseline(data: object): Baseline | undefined {
  if (!hasOnlyKeys(data, BASELINE_KEYS)) return undefined;
  const { version, savedAt, resources } = data as Record<string, unknown>;
  if (version !== 1 || typeof savedAt !== 'string' || !isTimestamp(savedAt) || !isPlainObject(resources)) {
    return undefined;
  }
  const entries: Record<string, BaselineEntry> = {};
  for (const [name, entry] of Object.entries(resources)) {
    if (name === '__proto__' || !isResourceName(name) || !isPlainObject(entry)) return undefined;
    if (!hasOnlyKeys(entry, ENTRY_KEYS)) return undefined;
    const { fields, approvedBy, approvedAt } = entry;
    if (!isPlainObject(fields)) return undefined;
    const values: Record<string, unknown> = {};
    for (const [path, value] of Object.entries(fields)) {
      if (path === '__proto__' || !isFieldPath(path)) return undefined;
      values[path] = value;
    }
    const approverValid = approvedBy === undefined || (typeof approvedBy === 'string' && approvedBy !== '');
    const approvalTimeValid =
      approvedAt === undefined || (typeof approvedAt === 'string' && isTimestamp(approvedAt));
    if (!approverValid || !approvalTimeValid) return undefined;
    entries[name] = {
      fields: values,
      ...(approvedBy !== undefined ? { approvedBy } : {}),
      ...(approvedAt !== undefined ? { approvedAt } : {}),
    };
  }
  return { version, savedAt, resources: entries };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function hasOnlyKeys(value: object, allowed: ReadonlySet<string>): boolean {
  return Object.keys(value).every((key) => allowed.has(key));
}

/** Validates baseline JSON; `fileLabel` names the file in errors. */
export function parseBaseline(text: string, fileLabel: string): Baseline {
  const json = parseJsonOrProblem(text);
  if (!json.ok) throw new BaselineError(fileLabel, '', json.problem);
  const data = json.value;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BaselineError(fileLabel, '', 'must be a JSON object with version, savedAt and resources');
  }
  // resources -> name -> fields -> field, then the value: governed values nest at most MAX_GOVERNED_DEPTH levels.
  if (isNestedDeeperThan(data, MAX_GOVERNED_DEPTH + 4)) {
    throw new BaselineError(fileLabel, '', `nested deeper than ${MAX_GOVERNED_DEPTH + 4} levels`);
  }
  const valid = validBaseline(data);
  if (valid) return valid;
  const parsed = baselineSchema().safeParse(data, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = pickIssue(parsed.error.issues);
  if (!issue) throw new BaselineError(fileLabel, '', 'is not a valid baseline');
  const { path, problem } = describeIssue(issue);
  throw new BaselineError(fileLabel, formatKeyPath(path), problem);
}

export async function readBaselineFile(path: string): Promise<Baseline> {
  const text = await readConfigText(
    path,
    MAX_BASELINE_BYTES,
    (problem) => new BaselineError(path, '', problem),
  );
  return parseBaseline(text, path);
}

/**
 * The file form of a baseline: resources sorted by name, keys in a fixed order and field values with
 * sorted keys, so saving the same approval twice gives the same bytes and reviews diff cleanly.
 */
export function serialiseBaseline(baseline: Baseline): string {
  const resources: Record<string, unknown> = {};
  for (const name of Object.keys(baseline.resources).sort()) {
    const entry = baseline.resources[name] as BaselineEntry;
    const fields: Record<string, unknown> = {};
    for (const field of Object.keys(entry.fields).sort()) {
      fields[field] = JSON.parse(stableJson(entry.fields[field] ?? null));
    }
    resources[name] = {
      fields,
      ...(entry.approvedBy !== undefined ? { approvedBy: entry.approvedBy } : {}),
      ...(entry.approvedAt !== undefined ? { approvedAt: entry.approvedAt } : {}),
    };
  }
  return `${JSON.stringify({ version: baseline.version, savedAt: baseline.savedAt, resources }, null, 2)}\n`;
}

/** Writes through an exclusive temporary file and a rename (output-file.ts): never over a FIFO, device or symlink. */
export async function writeBaselineFile(path: string, baseline: Baseline): Promise<void> {
  await writeOutputFile(path, serialiseBaseline(baseline));
}
