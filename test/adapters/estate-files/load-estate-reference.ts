// The estate loader as it was before its depth and shape checks became one walk (08ee305), kept as the reference the
// differential test holds loadEstate to: the same inventory and warnings, or the same one-line error. Reads through
// the loader's own readJson, which still checks every record's depth after parsing, as this loader relied on.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EstateError } from '../../../src/adapters/estate-files/estate-error.js';
import {
  BASELINE_FILE,
  ESTATE_FILES,
  type EstateFile,
  PROJECTS_FILE,
} from '../../../src/adapters/estate-files/estate-layout.js';
import {
  type LoadedEstate,
  type LoadOptions,
  ProjectSurvey,
  readJson,
} from '../../../src/adapters/estate-files/load-estate.js';
import { describeFsError } from '../../../src/adapters/files/input-file.js';
import { readBaselineFile } from '../../../src/config/baseline-file.js';
import { emptyInventory, type Inventory, mappedProjectId } from '../../../src/domain/inventory.js';
import { findShapeProblem } from '../../../src/domain/record-shape.js';
import { KIND_BY_COLLECTION, type ResourceKind } from '../../../src/domain/resource-kind.js';
import { parseResourceRef } from '../../../src/domain/resource-name.js';
import type { ApiRecord, NetworkEndpointGroup } from '../../../src/domain/resources.js';
import { hasNoServerlessTarget } from '../../../src/domain/serverless.js';

export async function loadEstateReference(dir: string, options: LoadOptions = {}): Promise<LoadedEstate> {
  const present = await listDirectory(dir);
  const records = emptyInventory() as { -readonly [K in ResourceKind]: ApiRecord[] };
  const files: string[] = [];
  const projects = new ProjectSurvey();
  let recordCount = 0;
  for (const spec of ESTATE_FILES) {
    if (!present.has(spec.file)) continue;
    const path = join(dir, spec.file);
    const items = expectArray(path, spec.exportedWith, await readJson(path, options.streamAboveBytes));
    // One pass per record, while it is still in the cache from parsing: its shape, and its link for the warnings.
    for (let index = 0; index < items.length; index++) {
      projects.add(checkRecord(path, spec, items[index], index));
    }
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

// Messages are built only when a record fails: the loader checks every record of an estate. Returns its link.
function checkRecord(path: string, spec: EstateFile, item: unknown, index: number): string {
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
  if (hasCollectionSegment(link, spec.collection)) return link;
  const ref = parseResourceRef(link);
  // An unparseable link is left to the graph, which skips the record and says why; a parseable one
  // of the wrong collection means the wrong export was saved under this name.
  if (ref && KIND_BY_COLLECTION[ref.collection] !== spec.kind) {
    throw new EstateError(
      path,
      `${recordAt(index)} (${JSON.stringify(name)}) is not a ${spec.label}: its ${field} names a "${ref.collection}" resource`,
    );
  }
  return link;
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
function hasCollectionSegment(link: string, collection: string): boolean {
  const end = pathEndOf(link);
  // The path's last slash: below `end`, so a slash in the query or fragment is not taken for one.
  const last = end === 0 ? -1 : link.lastIndexOf('/', end - 1);
  if (last < 0) return collection === '';
  // As String.slice reads it: a start past the end (`/x`: the slash at 0 found again) is an empty segment.
  const start = link.lastIndexOf('/', last - 1) + 1;
  const length = Math.max(0, last - start);
  return length === collection.length && (length === 0 || link.startsWith(collection, start));
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

function countOf(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

function sampleNames(records: readonly ApiRecord[]): string {
  const names = records.slice(0, 3).map((record) => String(record.name));
  return records.length > 3 ? `${names.join(', ')}, ...` : names.join(', ');
}
