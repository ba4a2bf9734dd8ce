// An inventory: everything read from one or more projects, as API records grouped by kind.

import { RESOURCE_KINDS, type ResourceKind } from './resource-kind.js';
import { isProjectNumber } from './resource-name.js';
import type { ResourceDataByKind } from './resources.js';

export type Inventory = {
  readonly [K in ResourceKind]: readonly ResourceDataByKind[K][];
} & {
  /** Project number -> project ID, where known, so names using either compare equal. */
  readonly projectIds?: Readonly<Record<string, string>>;
  /** Scopes that could not be read completely: nothing missing from them may be taken as deleted. */
  readonly incomplete?: readonly IncompleteScope[];
  /** APIs a project has not enabled: it holds none of their kinds, which is read as such, not as a failure. */
  readonly disabledServices?: readonly DisabledService[];
};

export interface DisabledService {
  readonly project: string;
  /** `apigateway.googleapis.com` */
  readonly service: string;
  /** The kinds that API serves, taken as none in the project. */
  readonly kinds: readonly ResourceKind[];
}

export interface IncompleteScope {
  readonly project: string;
  readonly kind: ResourceKind | 'project';
  /** `regions/us-east1`, `global`, or `*` for the whole project. */
  readonly scope: string;
  readonly reason: string;
}

/**
 * The project ID `project` (a number, or an ID) maps to in `projectIds`, if any. Own keys only: `projectIds` is a plain
 * object, and `constructor` is a valid project ID, so an inherited member must never be taken for a mapping.
 */
export function mappedProjectId(
  projectIds: Readonly<Record<string, string>> | undefined,
  project: string,
): string | undefined {
  if (projectIds === undefined || !Object.hasOwn(projectIds, project)) return undefined;
  const id = projectIds[project];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

const GATEWAY_NAME = /^projects\/([^/]+)\/locations\/[^/]+\/gateways\/[^/]+$/;
const NUMBERED_CONFIG = /^projects\/(\d+)\/locations\/global\/apis\//;

/**
 * Project number -> ID, learnt from gateways: API Gateway names a gateway's config with the project number while the
 * gateway's own name carries the ID, and a gateway serves configs of its own project, so one record maps the number.
 */
export function projectIdsOfGateways(
  gateways: readonly { readonly name?: unknown; readonly apiConfig?: unknown }[],
): Record<string, string> {
  const projectIds: Record<string, string> = {};
  for (const gateway of gateways) {
    const id = typeof gateway.name === 'string' ? GATEWAY_NAME.exec(gateway.name)?.[1] : undefined;
    const number =
      typeof gateway.apiConfig === 'string' ? NUMBERED_CONFIG.exec(gateway.apiConfig)?.[1] : undefined;
    if (id && number && !isProjectNumber(id)) projectIds[number] = id;
  }
  return projectIds;
}

/** No records of any kind: one empty list per kind the descriptors declare. */
export function emptyInventory(): Inventory {
  return Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, []])) as unknown as Inventory;
}

/** Joins inventories (e.g. one per project); later records win on the same selfLink/name. */
export function mergeInventories(...inventories: readonly Inventory[]): Inventory {
  const merged = emptyInventory() as { -readonly [K in keyof Inventory]: Inventory[K] };
  const projectIds: Record<string, string> = {};
  const incomplete: IncompleteScope[] = [];
  const disabledServices: DisabledService[] = [];
  for (const inventory of inventories) {
    // Appended in place: copying the joined lists once per inventory would be quadratic in an organisation's projects.
    for (const kind of Object.keys(merged) as ResourceKind[]) {
      const into = merged[kind] as unknown[];
      for (const record of inventory[kind]) into.push(record);
    }
    Object.assign(projectIds, inventory.projectIds);
    incomplete.push(...(inventory.incomplete ?? []));
    disabledServices.push(...(inventory.disabledServices ?? []));
  }
  return { ...merged, projectIds, incomplete, ...(disabledServices.length > 0 ? { disabledServices } : {}) };
}
