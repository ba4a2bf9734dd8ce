// Reads an estate directory of gcloud `--format=json` exports (DESIGN.md §7) into an Inventory.
// Unknown files are ignored; every known file is optional; bad input raises an EstateError naming file and record.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readBaselineFile } from '../../config/baseline-file.js';
import type { Baseline } from '../../domain/baseline.js';
import { emptyInventory, type Inventory } from '../../domain/inventory.js';
import { findShapeProblem } from '../../domain/record-shape.js';
import { KIND_BY_COLLECTION, type ResourceKind } from '../../domain/resource-kind.js';
import { parseResourceRef } from '../../domain/resource-name.js';
import type { ApiRecord, NetworkEndpointGroup } from '../../domain/resources.js';
import { hasNoServerlessTarget } from '../../domain/serverless.js';
import { describeFsError, InputFileError, openInputFile } from '../files/input-file.js';
import { EstateError } from './estate-error.js';
import { BASELINE_FILE, ESTATE_FILES, type EstateFile, PROJECTS_FILE } from './estate-layout.js';
import { parseJsonChunks } from './json-text.js';

export interface LoadedEstate {
  readonly dir: string;
  readonly inventory: Inventory;
  /** Things the user should know (a v1 NEG export, configs without documents); the caller decides how to show them. */
  readonly warnings: readonly string[];
  /** Estate files that were read, in DESIGN.md order. */
  readonly files: readonly string[];
  /** Records read across all files. */
  readonly recordCount: number;
  /** `baseline.json` beside the exports, when there is one. */
  readonly baselinePath: string | undefined;
  /** Its content, validated (a bad baseline raises a BaselineError naming the file and key). */
  readonly baseline: Baseline | undefined;
}

export async function loadEstate(dir: string): Promise<LoadedEstate> {
  const present = await listDirectory(dir);
  const records = emptyInventory() as { -readonly [K in ResourceKind]: ApiRecord[] };
  const files: string[] = [];
  let recordCount = 0;
  for (const spec of ESTATE_FILES) {
    if (!present.has(spec.file)) continue;
    const path = join(dir, spec.file);
    const items = expectArray(path, spec.exportedWith, await readJson(path));
    items.forEach((item, index) => {
      checkRecord(path, spec, item, index);
    });
    records[spec.kind] = items as ApiRecord[];
    recordCount += items.length;
    files.push(spec.file);
  }
  if (files.length === 0) {
    throw new EstateError(
      dir,
      `holds none of the estate files (${ESTATE_FILES.map((spec) => spec.file).join(', ')})`,
    );
  }
  const projectIds = present.has(PROJECTS_FILE) ? await readProjectIds(join(dir, PROJECTS_FILE)) : {};
  const inventory: Inventory = { ...(records as unknown as Inventory), projectIds, incomplete: [] };
  const baselinePath = present.has(BASELINE_FILE) ? join(dir, BASELINE_FILE) : undefined;
  return {
    dir,
    inventory,
    warnings: warningsFor(dir, inventory, projectIds),
    files,
    recordCount,
    baselinePath,
    baseline: baselinePath === undefined ? undefined : await readBaselineFile(baselinePath),
  };
}

async function listDirectory(dir: string): Promise<Set<string>> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory())
      throw new EstateError(dir, 'is not a directory (give the directory holding the exports)');
    return new Set(await readdir(dir));
  } catch (error) {
    if (error instanceof EstateError) throw error;
    throw new EstateError(dir, `cannot read the estate directory (${describeFsError(error)})`);
  }
}

/** Export files: far beyond any real project's, yet bounded (a symlink to /dev/zero must end somewhere). */
export const MAX_ESTATE_FILE_BYTES = 4 * 1024 * 1024 * 1024;
/** Real records nest about ten levels; the bound keeps every later walk over a record shallow. */
export const MAX_RECORD_DEPTH = 64;

export async function readJson(path: string): Promise<unknown> {
  try {
    const file = await openInputFile(path, MAX_ESTATE_FILE_BYTES);
    try {
      const parsed = await parseJsonChunks(file.chunks(), { maxRecordDepth: MAX_RECORD_DEPTH });
      if (!parsed.ok) throw new EstateError(path, parsed.problem);
      return parsed.value;
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof InputFileError) throw new EstateError(path, error.problem);
    throw error;
  }
}

function typeOfJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function expectArray(path: string, exportedWith: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw new EstateError(
    path,
    `expected a JSON array (as \`${exportedWith}\` prints), found ${typeOfJson(value)}`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkRecord(path: string, spec: EstateFile, item: unknown, index: number): void {
  const at = `record .[${index}]`;
  if (!isObject(item))
    throw new EstateError(path, `${at} is ${typeOfJson(item)}, not a ${spec.label} object`);
  const name = item.name;
  if (typeof name !== 'string' || name === '') throw new EstateError(path, `${at} has no "name"`);
  const field = spec.service === 'compute' ? 'selfLink' : 'name';
  const link = item[field];
  if (typeof link !== 'string' || link === '') {
    throw new EstateError(path, `${at} (${JSON.stringify(name)}) has no "${field}"`);
  }
  const shape = findShapeProblem(spec.kind, item);
  if (shape) {
    throw new EstateError(path, `${at} (${JSON.stringify(name)}): ${shape.field} ${shape.problem}`);
  }
  const ref = parseResourceRef(link);
  // An unparseable link is left to the graph, which skips the record and says why; a parseable one
  // of the wrong collection means the wrong export was saved under this name.
  if (ref && KIND_BY_COLLECTION[ref.collection] !== spec.kind) {
    throw new EstateError(
      path,
      `${at} (${JSON.stringify(name)}) is not a ${spec.label}: its ${field} names a "${ref.collection}" resource`,
    );
  }
}

async function readProjectIds(path: string): Promise<Record<string, string>> {
  const value = await readJson(path);
  const entries = Array.isArray(value) ? value : [value];
  const projectIds: Record<string, string> = {};
  entries.forEach((entry, index) => {
    const at = Array.isArray(value) ? `record .[${index}] ` : '';
    if (!isObject(entry)) {
      throw new EstateError(
        path,
        `${at}is ${typeOfJson(entry)}; expected what \`gcloud projects describe PROJECT --format=json\` prints`,
      );
    }
    const { projectId, projectNumber } = entry;
    if (typeof projectId !== 'string' || projectId === '')
      throw new EstateError(path, `${at}has no "projectId"`);
    if (
      (typeof projectNumber !== 'string' && typeof projectNumber !== 'number') ||
      !/^\d+$/.test(String(projectNumber))
    ) {
      throw new EstateError(path, `${at}has no numeric "projectNumber"`);
    }
    projectIds[String(projectNumber)] = projectId;
  });
  return projectIds;
}

function warningsFor(dir: string, inventory: Inventory, projectIds: Record<string, string>): string[] {
  const warnings: string[] = [];
  const blindNegs = inventory.networkEndpointGroup.filter((neg: NetworkEndpointGroup) =>
    hasNoServerlessTarget(neg),
  );
  if (blindNegs.length > 0) {
    warnings.push(
      `${join(dir, 'network-endpoint-groups.json')}: ${countOf(blindNegs.length, 'serverless NEG')} ` +
        `${blindNegs.length === 1 ? 'names' : 'name'} no target (${sampleNames(blindNegs)}); the file looks like a v1 export, which leaves out ` +
        'serverlessDeployment: export NEGs with `gcloud beta compute network-endpoint-groups list --format=json`',
    );
  }
  const emptyConfigs = inventory.apiConfig.filter(
    (config) => !config.openapiDocuments && !config.grpcServices && !config.managedServiceConfigs,
  );
  if (emptyConfigs.length > 0) {
    warnings.push(
      `${join(dir, 'api-configs.json')}: ${countOf(emptyConfigs.length, 'API config')} ` +
        `${emptyConfigs.length === 1 ? 'carries' : 'carry'} no documents ` +
        `(${sampleNames(emptyConfigs)}); export each with \`gcloud api-gateway api-configs describe --view=FULL --format=json\``,
    );
  }
  const unmapped = new Set<string>();
  let namedById = false;
  for (const spec of ESTATE_FILES) {
    for (const record of inventory[spec.kind]) {
      const project = parseResourceRef(spec.service === 'compute' ? record.selfLink : record.name)?.project;
      if (!project) continue;
      if (!/^\d+$/.test(project)) namedById = true;
      else if (!projectIds[project]) unmapped.add(project);
    }
  }
  if (unmapped.size > 0 && namedById) {
    warnings.push(
      `${dir}: ${unmapped.size === 1 ? 'project' : 'projects'} ${[...unmapped].join(', ')} named by number ` +
        `with no ${PROJECTS_FILE} to map ${unmapped.size === 1 ? 'it' : 'them'} to a project ID: ` +
        `resources named by number will not match those named by ID; add ${PROJECTS_FILE} ` +
        '(`gcloud projects describe PROJECT --format=json`)',
    );
  }
  return warnings;
}

function countOf(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

function sampleNames(records: readonly ApiRecord[]): string {
  const names = records.slice(0, 3).map((record) => String(record.name));
  return records.length > 3 ? `${names.join(', ')}, ...` : names.join(', ');
}
