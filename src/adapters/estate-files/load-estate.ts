// Reads an estate directory of gcloud `--format=json` exports (DESIGN.md §7) into an Inventory.
// Unknown files are ignored; every known file is optional; bad input raises an EstateError naming file and record.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readBaselineFile } from '../../config/baseline-file.js';
import type { Baseline } from '../../domain/baseline.js';
import {
  emptyInventory,
  type Inventory,
  mappedProjectId,
  projectIdsOfGateways,
} from '../../domain/inventory.js';
import {
  describeJsonType,
  findShapeProblem,
  fitsShapeWithin,
  MAX_RECORD_DEPTH,
} from '../../domain/record-shape.js';
import { KIND_BY_COLLECTION, type ResourceKind } from '../../domain/resource-kind.js';
import { parseResourceRef } from '../../domain/resource-name.js';
import type { ApiRecord, NetworkEndpointGroup } from '../../domain/resources.js';
import { hasNoServerlessTarget } from '../../domain/serverless.js';
import { describeFsError, type InputFile, InputFileError, openInputFile } from '../files/input-file.js';
import { EstateError } from './estate-error.js';
import { BASELINE_FILE, ESTATE_FILES, type EstateFile, PROJECTS_FILE } from './estate-layout.js';
import {
  hasRecordDeeperThan,
  parseJsonBytes,
  parseJsonChunks,
  parseUtf8Text,
  parseUtf8TextIfValid,
} from './json-export.js';

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
  const projects = new ProjectSurvey();
  let recordCount = 0;
  for (const spec of ESTATE_FILES) {
    if (!present.has(spec.file)) continue;
    const path = join(dir, spec.file);
    const items = expectArray(path, spec.exportedWith, await readExport(path, options.streamAboveBytes));
    // One pass per record, while it is still in the cache from parsing: its depth and shape in one walk, and its link
    // for the warnings. A record that fails any check sends the whole file down the explicit checks below, which
    // name the first problem in the order they always have (every record's depth before any record's shape).
    let fits = true;
    for (let index = 0; fits && index < items.length; index++) {
      const link = recordLinkIfFits(spec, items[index]);
      if (link === undefined) fits = false;
      else projects.add(link);
    }
    if (!fits) await refuse(path, spec, items);
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
  // What projects.json says wins; numbers it leaves out are learnt from the gateways, as a live read learns them.
  const projectIds = {
    ...projectIdsOfGateways(records.gateway),
    ...(present.has(PROJECTS_FILE) ? await readProjectIds(join(dir, PROJECTS_FILE)) : {}),
  };
  const inventory: Inventory = { ...(records as unknown as Inventory), projectIds, incomplete: [] };
  const baselinePath = present.has(BASELINE_FILE) ? join(dir, BASELINE_FILE) : undefined;
  return {
    dir,
    inventory,
    warnings: warningsFor(dir, inventory, projectIds, projects),
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

/**
 * Exports larger than this are streamed: parsed in batches of records as the chunks are read, so their text is
 * never held whole beside the records. Smaller ones are read whole and parsed in one JSON.parse, which is about
 * twice as fast, and hold at most this much text (twice that as UTF-16) for a moment.
 */
export const STREAM_ABOVE_BYTES = 32 * 1024 * 1024;

export async function readJson(path: string, streamAboveBytes = STREAM_ABOVE_BYTES): Promise<unknown> {
  return readJsonChecked(path, streamAboveBytes, true);
}

/**
 * An estate export's value, as readJson reads it but for the depth of the records of a file read whole, which the
 * caller checks in its walk over the records (fitsShapeWithin) and, when one is too deep, hands to `refuse`.
 */
function readExport(path: string, streamAboveBytes = STREAM_ABOVE_BYTES): Promise<unknown> {
  return readJsonChecked(path, streamAboveBytes, false);
}

async function readJsonChecked(
  path: string,
  streamAboveBytes: number,
  checkDepth: boolean,
): Promise<unknown> {
  try {
    const file = await openInputFile(path, MAX_ESTATE_FILE_BYTES);
    try {
      const options = { maxRecordDepth: MAX_RECORD_DEPTH };
      if (file.size <= streamAboveBytes) {
        // The common case at the cost of the floor (one native read and one JSON.parse); anything else is read
        // again as bytes, for the one-line problem the byte readers give.
        const text = file.utf8();
        const whole = checkDepth ? parseUtf8TextIfValid(text, options) : parseUtf8Text(text);
        if (whole !== undefined) return whole.value;
      }
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

function expectArray(path: string, exportedWith: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw new EstateError(
    path,
    `expected a JSON array (as \`${exportedWith}\` prints), found ${describeJsonType(value)}`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The record's link when it passes every check of checkRecord and nests no deeper than MAX_RECORD_DEPTH; undefined
 * when any check fails (refuse then finds which, in words). No message is built here: this runs for every record.
 */
function recordLinkIfFits(spec: EstateFile, item: unknown): string | undefined {
  if (!isObject(item)) return undefined;
  const name = item.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const link = item[linkFieldOf(spec)];
  if (typeof link !== 'string' || link === '' || !fitsShapeWithin(spec.kind, item, MAX_RECORD_DEPTH)) {
    return undefined;
  }
  return otherCollectionOf(spec, link) === undefined ? link : undefined;
}

/**
 * Throws the one-line problem of an export some record of which failed recordLinkIfFits, as the checks one at a time
 * name it: a record nested too deep (the byte reader's words, with its line), else the first record's problem.
 */
async function refuse(path: string, spec: EstateFile, items: readonly unknown[]): Promise<never> {
  if (hasRecordDeeperThan(items, MAX_RECORD_DEPTH)) {
    // The byte reader refuses what is too deep, by index and line, as it did when the read checked the depth; only a
    // file changed between its two reads gets past it.
    await readJson(path, 0);
    throw new EstateError(path, 'changed while it was being read');
  }
  for (let index = 0; index < items.length; index++) checkRecord(path, spec, items[index], index);
  // The records are the ones recordLinkIfFits refused: the two checks disagree, a bug of ours, not the user's file.
  throw new Error(`${path}: recordLinkIfFits refused a record that checkRecord accepts`);
}

// Messages are built only when a record fails: the loader checks every record of an estate. Returns its link.
function checkRecord(path: string, spec: EstateFile, item: unknown, index: number): string {
  if (!isObject(item))
    throw new EstateError(
      path,
      `${recordAt(index)} is ${describeJsonType(item)}, not a ${spec.label} object`,
    );
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
  const other = otherCollectionOf(spec, link);
  if (other !== undefined) {
    throw new EstateError(
      path,
      `${recordAt(index)} (${JSON.stringify(name)}) is not a ${spec.label}: its ${field} names a "${other}" resource`,
    );
  }
  return link;
}

/**
 * The collection a record's link names when it is a parseable link of another kind than the file's (the wrong
 * export saved under this name); undefined otherwise. An unparseable link is left to the graph, which skips the
 * record and says why. A link whose collection segment is this file's kind cannot be of another kind, parsed or
 * not: only the rest (rare) is parsed here, which leaves parsing every link once to the graph.
 */
function otherCollectionOf(spec: EstateFile, link: string): string | undefined {
  if (hasCollectionSegment(link, spec.collection)) return undefined;
  const ref = parseResourceRef(link);
  return ref && KIND_BY_COLLECTION[ref.collection] !== spec.kind ? ref.collection : undefined;
}

function recordAt(index: number): string {
  return `record .[${index}]`;
}

/** Compute records are named by `selfLink`, API Gateway records by `name`. */
function linkFieldOf(spec: EstateFile): 'selfLink' | 'name' {
  return spec.service === 'compute' ? 'selfLink' : 'name';
}

/**
 * Where the path of a link ends, as parseResourceRef reads it: at its query or fragment, or at its end (indexOf: a
 * regex here cost 50 ms).
 */
function pathEndOf(link: string): number {
  const query = link.indexOf('?');
  const fragment = link.indexOf('#');
  const end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
  return end < 0 ? link.length : end;
}

/**
 * Whether the last segment but one of a link's path (the collection parseResourceRef names, whenever it can parse
 * the link) is `collection`, read in place: this runs for every record.
 */
export function hasCollectionSegment(link: string, collection: string): boolean {
  const end = pathEndOf(link);
  // The path's last slash: below `end`, so a slash in the query or fragment is not taken for one.
  const last = end === 0 ? -1 : link.lastIndexOf('/', end - 1);
  if (last < 0) return collection === '';
  // As String.slice reads it: a start past the end (`/x`: the slash at 0 found again) is an empty segment.
  const start = link.lastIndexOf('/', last - 1) + 1;
  const length = Math.max(0, last - start);
  return length === collection.length && (length === 0 || link.startsWith(collection, start));
}

/**
 * The segment after the path's first `projects/` (the project parseResourceRef names, whenever it can parse the
 * link), and where the slash that closes it stands (-1 when the path ends first). Read on the link itself, bounded
 * by the path's end, so that nothing is cut out but the segment.
 */
export function projectOfLink(
  link: string,
): { readonly project: string; readonly slash: number } | undefined {
  const end = pathEndOf(link);
  let start = 0;
  if (!link.startsWith('projects/')) {
    const at = link.indexOf('/projects/');
    // A first match that runs past the path's end means none lies within the path.
    if (at < 0 || at + '/projects/'.length > end) return undefined;
    start = at + 1;
  }
  const from = start + 'projects/'.length;
  const next = link.indexOf('/', from);
  const slash = next >= 0 && next < end ? next : -1;
  return { project: link.slice(from, slash < 0 ? end : slash), slash };
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
        `${at}is ${describeJsonType(entry)}; expected what \`gcloud projects describe PROJECT --format=json\` prints`,
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

/**
 * What the number-vs-ID warning needs from the links, gathered as each record is checked: whether some parseable
 * link names its project by ID, and the projects named by number in a parseable link, in the order first met.
 * A link's project segment is read cheaply; a link is parsed (to skip one the graph cannot name) only where the
 * answer could still change.
 */
export class ProjectSurvey {
  namedById = false;
  readonly byNumber = new Set<string>();
  // Links come in runs of one project. The last link's text through the slash after its project: a link that starts
  // with it names the same project at the same place, and once that project's answer is known it can be skipped.
  private prefix = '';
  private project = '';
  private settled = false;

  add(link: string): void {
    if (this.prefix !== '' && link.startsWith(this.prefix)) {
      if (!this.settled) this.count(this.project, link);
      return;
    }
    const found = projectOfLink(link);
    if (!found?.project) {
      this.prefix = '';
      return;
    }
    this.prefix = found.slash >= 0 ? link.slice(0, found.slash + 1) : '';
    this.project = found.project;
    this.count(found.project, link);
  }

  private count(project: string, link: string): void {
    if (!isProjectNumber(project)) {
      if (!this.namedById) this.namedById = parseResourceRef(link) !== undefined;
      this.settled = this.namedById;
    } else {
      if (!this.byNumber.has(project) && parseResourceRef(link)) this.byNumber.add(project);
      this.settled = this.byNumber.has(project);
    }
  }
}

function warningsFor(
  dir: string,
  inventory: Inventory,
  projectIds: Record<string, string>,
  projects: ProjectSurvey,
): string[] {
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
  const unmapped = new Set(
    [...projects.byNumber].filter((project) => mappedProjectId(projectIds, project) === undefined),
  );
  if (unmapped.size > 0 && projects.namedById) {
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
