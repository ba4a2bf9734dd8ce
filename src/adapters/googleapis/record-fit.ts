// Whether a record of a live answer can be judged: the estate loader's checks (an object with a name and a link, of its
// kind's shape, nested no deeper than MAX_RECORD_DEPTH).

import {
  describeJsonType,
  findShapeProblem,
  fitsShapeWithin,
  isNestedDeeperThan,
  MAX_RECORD_DEPTH,
} from '../../domain/record-shape.js';
import { descriptorOf, KIND_LABELS, type ResourceKind } from '../../domain/resource-kind.js';

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
 * Why `record`, returned by a read of `_asked`, cannot be judged as a `kind` (its kind, name and field, in the loader's
 * words), or undefined when it can. Judged anyway, a record of the wrong shape crashes the graph or slips past the rules.
 */
export function problemOfLiveRecord(
  kind: ResourceKind,
  record: unknown,
  _asked: AskedFor,
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
  return undefined;
}

/** A name or link as JSON text, cut by its middle when long: it comes from the answer, whatever its length. */
function quoted(text: string): string {
  return JSON.stringify(text.length <= MAX_QUOTED_CHARS ? text : `${text.slice(0, 80)}…${text.slice(-40)}`);
}

const MAX_QUOTED_CHARS = 160;
