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
import { describeFsError, type InputFile, InputFileError, openInputFile } from '../files/input-file.js';
import { EstateError } from './estate-error.js';
import { BASELINE_FILE, ESTATE_FILES, type EstateFile, PROJECTS_FILE } from './estate-layout.js';
import { parseJsonBytes, parseJsonChunks } from './json-export.js';

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

export interface LoadOptions {
  /** Files larger than this are streamed (STREAM_ABOVE_BYTES unless a test needs both paths on small files). */
  readonly streamAboveBytes?: number;
}

export async function loadEstate(dir: string, options: LoadOptions = {}): Promise<LoadedEstate> {
  const present = await listDirectory(dir);
  const records = emptyInventory() as { -readonly [K in ResourceKind]: ApiRecord[] };
  const files: string[] = [];
  let recordCount = 0;
  for (const spec of ESTATE_FILES) {
    if (!present.has(spec.file)) continue;
    const path = join(dir, spec.file);
    const items = expectArray(path, spec.exportedWith, await readJson(path, options.streamAboveBytes));
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

/**
 * Exports larger than this are streamed: parsed in batches of records as the chunks are read, so their text is
 * never held whole beside the records. Smaller ones are read whole and parsed in one JSON.parse, which is about
 * twice as fast, and hold at most this much text (twice that as UTF-16) for a moment.
 */
export const STREAM_ABOVE_BYTES = 32 * 1024 * 1024;

export async function readJson(path: string, streamAboveBytes = STREAM_ABOVE_BYTES): Promise<unknown> {
  try {
    const file = await openInputFile(path, MAX_ESTATE_FILE_BYTES);
    try {
      const options = { maxRecordDepth: MAX_RECORD_DEPTH };
      const parsed =
        file.size > streamAboveBytes
          ? await parseJsonChunks(file.chunks(), options)
          : await parseJsonBytes(await readWhole(file), options);
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

/** The file's bytes in one buffer: one read when its size is as opened (it may still grow, up to the bound). */
async function readWhole(file: InputFile): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of file.chunks(file.size + 1)) parts.push(chunk);
  return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
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

// Messages are built only when a record fails: the loader checks every record of an estate.
function checkRecord(path: string, spec: EstateFile, item: unknown, index: number): void {
  if (!isObject(item))
    throw new EstateError(path, `${recordAt(index)} is ${typeOfJson(item)}, not a ${spec.label} object`);
  const name = item.name;
  if (typeof name !== 'string' || name === '')
    throw new EstateError(path, `${recordAt(index)} has no "name"`);
  const field = linkFieldOf(spec);
  const link = item[field];
  if (typeof link !== 'string' || link === '') {
    throw new EstateError(path, `${recordAt(index)} (${JSON.stringify(name)}) has no "${field}"`);
  }
  const shape = findShapeProblem(spec.kind, item);
  if (shape) {
    throw new EstateError(
      path,
      `${recordAt(index)} (${JSON.stringify(name)}): ${shape.field} ${shape.problem}`,
    );
  }
  // A link whose collection segment is this file's kind cannot be of another kind, parsed or not: only the rest
  // (rare) is parsed here, which leaves parsing every link once to the graph.
  if (KIND_BY_COLLECTION[collectionSegmentOf(link)] === spec.kind) return;
  const ref = parseResourceRef(link);
  // An unparseable link is left to the graph, which skips the record and says why; a parseable one
  // of the wrong collection means the wrong export was saved under this name.
  if (ref && KIND_BY_COLLECTION[ref.collection] !== spec.kind) {
    throw new EstateError(
      path,
      `${recordAt(index)} (${JSON.stringify(name)}) is not a ${spec.label}: its ${field} names a "${ref.collection}" resource`,
    );
  }
}

function recordAt(index: number): string {
  return `record .[${index}]`;
}

/** Compute records are named by `selfLink`, API Gateway records by `name`. */
function linkFieldOf(spec: EstateFile): 'selfLink' | 'name' {
  return spec.service === 'compute' ? 'selfLink' : 'name';
}

/** The path without its query or fragment, as parseResourceRef reads it (indexOf: a regex here cost 50 ms). */
function pathOf(link: string): string {
  const query = link.indexOf('?');
  const fragment = link.indexOf('#');
  const end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
  return end < 0 ? link : link.slice(0, end);
}

/** The last segment but one of a link: the collection parseResourceRef names, whenever it can parse the link. */
function collectionSegmentOf(link: string): string {
  const path = pathOf(link);
  const last = path.lastIndexOf('/');
  return last < 0 ? '' : path.slice(path.lastIndexOf('/', last - 1) + 1, last);
}

/** The segment after `projects/`: the project parseResourceRef names, whenever it can parse the link. */
function projectSegmentOf(link: string): string | undefined {
  const path = pathOf(link);
  const start = path.startsWith('projects/') ? 0 : path.indexOf('/projects/') + 1;
  if (start === 0 && !path.startsWith('projects/')) return undefined;
  const from = start + 'projects/'.length;
  const end = path.indexOf('/', from);
  return path.slice(from, end < 0 ? path.length : end);
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
    const field = linkFieldOf(spec);
    for (const record of inventory[spec.kind]) {
      const link = record[field] as string;
      // The project segment is read cheaply; a link is parsed (to skip one the graph cannot name) only where
      // the answer would change a warning.
      const project = projectSegmentOf(link);
      if (!project) continue;
      if (!isProjectNumber(project)) namedById ||= parseResourceRef(link) !== undefined;
      else if (!projectIds[project] && !unmapped.has(project) && parseResourceRef(link))
        unmapped.add(project);
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

function isProjectNumber(project: string): boolean {
  return /^\d+$/.test(project);
}

function countOf(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

function sampleNames(records: readonly ApiRecord[]): string {
  const names = records.slice(0, 3).map((record) => String(record.name));
  return records.length > 3 ? `${names.join(', ')}, ...` : names.join(', ');
}
