// Baseline files (`baseline.json`): read and validated with errors naming file and key, written in a stable form.

import { z } from 'zod';
import { writeOutputFile } from '../adapters/files/output-file.js';
import type { Baseline, BaselineEntry } from '../domain/baseline.js';
import { isNestedDeeperThan } from '../domain/record-shape.js';
import { parseResourceRef } from '../domain/resource-name.js';
import { stableJson } from '../domain/stable-json.js';
import { isFieldPath, MAX_GOVERNED_DEPTH } from '../rules/drift/governed-fields.js';
import { ConfigFileError, describeIssue, formatKeyPath, pickIssue, readConfigText } from './config-error.js';

export class BaselineError extends ConfigFileError {
  override readonly name = 'BaselineError';
}

// An organisation-wide baseline of tens of thousands of resources stays well under this.
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const timestamp = z.string().check((ctx) => {
  if (!TIMESTAMP.test(ctx.value) || Number.isNaN(Date.parse(ctx.value))) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: 'must be an ISO timestamp with a time zone',
    });
  }
});

const resourceName = z.string().check((ctx) => {
  if (!ctx.value.startsWith('//') || !parseResourceRef(ctx.value)) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: 'not a full resource name (like //compute.googleapis.com/projects/P/global/backendServices/N)',
    });
  }
});

const fieldPath = z.string().check((ctx) => {
  if (!isFieldPath(ctx.value)) {
    ctx.issues.push({ code: 'custom', input: ctx.value, message: 'not a field path (like iap.enabled)' });
  }
});

const baselineSchema = z.strictObject({
  version: z.literal(1),
  savedAt: timestamp,
  resources: z.record(
    resourceName,
    z.strictObject({
      fields: z.record(fieldPath, z.unknown()),
      approvedBy: z.string().min(1).optional(),
      approvedAt: timestamp.optional(),
    }),
  ),
});

/** Validates baseline JSON; `fileLabel` names the file in errors. */
export function parseBaseline(text: string, fileLabel: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(fileLabel, '', `not valid JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BaselineError(fileLabel, '', 'must be a JSON object with version, savedAt and resources');
  }
  // resources -> name -> fields -> field, then the value: governed values nest at most MAX_GOVERNED_DEPTH levels.
  if (isNestedDeeperThan(data, MAX_GOVERNED_DEPTH + 4)) {
    throw new BaselineError(fileLabel, '', `nested deeper than ${MAX_GOVERNED_DEPTH + 4} levels`);
  }
  const parsed = baselineSchema.safeParse(data, { reportInput: true });
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
