// Whether a record of a live answer can be judged: the estate loader's checks (an object with a name and a link, of its
// kind's shape, nested no deeper than MAX_RECORD_DEPTH), and that its link names a resource of what was asked for.

import { elideMiddle } from '../../domain/elide-middle.js';
import {
  describeJsonType,
  findShapeProblem,
  fitsShapeWithin,
  isNestedDeeperThan,
  MAX_RECORD_DEPTH,
} from '../../domain/record-shape.js';
import {
  descriptorOf,
  KIND_BY_COLLECTION,
  KIND_LABELS,
  type ResourceKind,
} from '../../domain/resource-kind.js';
import { parseResourceRef, type ResourceRef } from '../../domain/resource-name.js';

/** What a read asked for, and so what the link of each record it returns must name. */
export interface AskedFor {
  /** The project read, by ID or by number. */
  readonly project: string;
  /**
   * The scope the answer put the record in (`global`, `regions/us-central1`, `zones/us-central1-a`: an aggregated
   * list's key, or a list's own scope); absent when any will do (API Gateway's `locations/-`).
   */
  readonly scope?: string;
  /** What a get asked for: the path after the project (`global/backendServices/b`, `locations/global/apis/a/configs/c`). */
  readonly path?: string;
}

/**
 * Why `record`, returned by a read of `asked`, cannot be judged as a `kind` (its kind, name and field, in the loader's
 * words), or undefined when it can. Judged anyway, a record of the wrong shape crashes the graph or slips past the rules,
 * and one naming another resource hides the resource asked for, which a sweep would then take as deleted.
 */
export function problemOfLiveRecord(
  kind: ResourceKind,
  record: unknown,
  asked: AskedFor,
): string | undefined {
  const label = KIND_LABELS[kind];
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return `a ${label} record is ${describeJsonType(record)}, not an object`;
  }
  const fields = record as Readonly<Record<string, unknown>>;
  const name = fields.name;
  if (typeof name !== 'string' || name === '') return `a ${label} record has no "name"`;
  const named = `${label} ${quoted(name)}`;
  const linkField = descriptorOf(kind).service === 'compute' ? 'selfLink' : 'name';
  const link = fields[linkField];
  if (typeof link !== 'string' || link === '') return `${named} has no "${linkField}"`;
  // One walk for the common case; the words are looked for only when it fails.
  if (!fitsShapeWithin(kind, fields, MAX_RECORD_DEPTH)) {
    if (isNestedDeeperThan(fields, MAX_RECORD_DEPTH)) {
      return `${named} is nested deeper than ${MAX_RECORD_DEPTH} levels`;
    }
    const shape = findShapeProblem(kind, fields);
    return shape ? `${named}: ${shape.field} ${shape.problem}` : `${named} does not have its kind's shape`;
  }
  const ref = parseResourceRef(link);
  if (ref === undefined) return `${named}: its ${linkField} ${quoted(link)} names no resource`;
  if (KIND_BY_COLLECTION[ref.collection] !== kind) {
    return `${named} is not a ${label}: its ${linkField} names a ${quoted(ref.collection)} resource`;
  }
  if (!isSameProject(asked.project, ref.project)) {
    return `${named} is not of project ${asked.project}: its ${linkField} names project ${quoted(ref.project)}`;
  }
  if (asked.path !== undefined && ref.path !== asked.path) {
    return `${named} is not the ${label} asked for (${quoted(asked.path)}): its ${linkField} names ${quoted(ref.path)}`;
  }
  const scope = scopeOf(ref);
  if (asked.scope !== undefined && scope !== asked.scope) {
    return `${named} was listed in ${asked.scope}, but its ${linkField} names ${quoted(scope)}`;
  }
  return undefined;
}

/**
 * Whether a link's project is the one read. Compute's links name the project ID even when it was read by number, and
 * API Gateway names a gateway's config by number and the config by ID: a number and an ID cannot be told apart
 * without a Resource Manager call, so only two IDs, or two numbers, that differ are another project.
 */
function isSameProject(asked: string, named: string): boolean {
  return asked === named || isProjectNumber(asked) !== isProjectNumber(named);
}

function isProjectNumber(project: string): boolean {
  return /^\d+$/.test(project);
}

/** `global`, `regions/us-central1`, `zones/us-central1-a`, `locations/us-central1`: as aggregated lists key scopes. */
function scopeOf(ref: ResourceRef): string {
  return ref.scope === 'global' ? 'global' : `${ref.scope}/${ref.location}`;
}

/** A name or link as JSON text, cut by its middle when long: it comes from the answer, whatever its length. */
function quoted(text: string): string {
  return JSON.stringify(elideMiddle(text, MAX_QUOTED_CHARS));
}

const MAX_QUOTED_CHARS = 160;
