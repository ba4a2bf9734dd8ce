// The ResourceSource port over an exported estate: the same reads the live adapter offers, from files.

import { type Inventory, mappedProjectId } from '../../domain/inventory.js';
import { RESOURCE_KINDS, type ResourceKind } from '../../domain/resource-kind.js';
import { fullNameOf, parseResourceRef, type ResourceRef, withProject } from '../../domain/resource-name.js';
import type { ApiRecord } from '../../domain/resources.js';
import type { ReadOptions, ReadProgress, ResourceSource } from '../../ports/resource-source.js';
import { type LoadedEstate, loadEstate } from './load-estate.js';

export interface EstateSource extends ResourceSource {
  /** The estate as loaded (read once, on first use), with its warnings and baseline path. */
  load(): Promise<LoadedEstate>;
}

export function createEstateSource(dir: string): EstateSource {
  let loading: Promise<Indexed> | undefined;
  const indexed = (): Promise<Indexed> => {
    loading ??= loadEstate(dir).then(indexEstate);
    return loading;
  };
  return {
    async load() {
      return (await indexed()).estate;
    },
    async readInventory(projects: readonly string[], options: ReadOptions = {}) {
      const { estate, projectOf } = await indexed();
      const wanted = new Set(
        projects.map((project) => mappedProjectId(estate.inventory.projectIds, project) ?? project),
      );
      const inventory =
        wanted.size === 0
          ? estate.inventory
          : filterInventory(estate.inventory, (record) => wanted.has(projectOf(record)));
      if (options.onProgress) reportCounts(inventory, [...wanted], projectOf, options.onProgress);
      return inventory;
    },
    async readResource(ref: ResourceRef) {
      const { byFullName, normalise } = await indexed();
      return byFullName.get(fullNameOf(normalise(ref)));
    },
  };
}

interface Indexed {
  readonly estate: LoadedEstate;
  readonly byFullName: ReadonlyMap<string, ApiRecord>;
  readonly normalise: (ref: ResourceRef) => ResourceRef;
  /** Project ID of a record (numbers mapped through projects.json), '' when its link cannot be parsed. */
  readonly projectOf: (record: ApiRecord) => string;
}

function indexEstate(estate: LoadedEstate): Indexed {
  const projectIds = estate.inventory.projectIds ?? {};
  const normalise = (ref: ResourceRef): ResourceRef =>
    withProject(ref, mappedProjectId(projectIds, ref.project) ?? ref.project);
  const refOf = (record: ApiRecord): ResourceRef | undefined => {
    const ref = parseResourceRef(typeof record.selfLink === 'string' ? record.selfLink : record.name);
    return ref ? normalise(ref) : undefined;
  };
  const byFullName = new Map<string, ApiRecord>();
  for (const kind of RESOURCE_KINDS) {
    for (const record of estate.inventory[kind]) {
      const ref = refOf(record);
      if (ref) byFullName.set(fullNameOf(ref), record);
    }
  }
  return { estate, byFullName, normalise, projectOf: (record) => refOf(record)?.project ?? '' };
}

/** Reports each project's count of each kind (all projects as `*` when none were named), counted in one pass. */
function reportCounts(
  inventory: Inventory,
  projects: readonly string[],
  projectOf: (record: ApiRecord) => string,
  onProgress: (progress: ReadProgress) => void,
): void {
  if (projects.length === 0) {
    for (const kind of RESOURCE_KINDS) {
      onProgress({ project: '*', kind, count: inventory[kind].length, done: true });
    }
    return;
  }
  const counts = new Map<ResourceKind, Map<string, number>>();
  for (const kind of RESOURCE_KINDS) {
    const ofKind = new Map<string, number>();
    for (const record of inventory[kind]) {
      const project = projectOf(record);
      ofKind.set(project, (ofKind.get(project) ?? 0) + 1);
    }
    counts.set(kind, ofKind);
  }
  for (const project of projects) {
    for (const kind of RESOURCE_KINDS) {
      onProgress({ project, kind, count: counts.get(kind)?.get(project) ?? 0, done: true });
    }
  }
}

function filterInventory(inventory: Inventory, keep: (record: ApiRecord) => boolean): Inventory {
  const filtered: Record<string, unknown> = { ...inventory };
  for (const kind of RESOURCE_KINDS) filtered[kind] = inventory[kind].filter(keep);
  return filtered as Inventory;
}
