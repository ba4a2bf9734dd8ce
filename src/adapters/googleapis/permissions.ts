// Every Google API call the live source makes, with the IAM permissions it needs: the deploy role is built from this.
// The calls that read resource kinds come from the kind descriptors; the others are declared here.

import {
  type KindVariant,
  RESOURCE_KIND_DESCRIPTORS,
  type ResourceKind,
  type ResourceKindDescriptor,
} from '../../domain/resource-kind.js';

export type ApiSurface = 'compute/v1' | 'compute/beta' | 'apigateway/v1' | 'cloudresourcemanager/v3';

export interface FetcherDeclaration {
  readonly api: ApiSurface;
  /** The REST method, as the API reference names it. */
  readonly method: string;
  /** What it reads, for error messages: `backend services (aggregated list)`. */
  readonly reads: string;
  /**
   * Permissions the call needs. An aggregated list is checked per scope: without the regional permission the
   * regional scopes come back missing, so both are declared.
   */
  readonly permissions: readonly string[];
}

/** The calls that read resource kinds, derived from their descriptors (src/domain/resource-kind.ts). */
export function kindFetchersOf(
  descriptors: readonly ResourceKindDescriptor[],
): Record<string, FetcherDeclaration> {
  const fetchers: Record<string, FetcherDeclaration> = {};
  for (const descriptor of descriptors) {
    const beta = descriptor.api === 'compute/beta' ? ', beta' : '';
    if (descriptor.aggregatedList) {
      fetchers[aggregatedFetcherId(descriptor.kind)] = {
        api: descriptor.api,
        method: `${descriptor.aggregatedList}.aggregatedList`,
        reads: `${descriptor.pluralLabel} (aggregated list${beta})`,
        permissions: descriptor.variants.flatMap((variant) =>
          variant.listPermission ? [variant.listPermission] : [],
        ),
      };
    }
    for (const variant of descriptor.variants) {
      fetchers[getFetcherId(variant)] = {
        api: descriptor.api,
        method: `${variant.apiCollection}.get`,
        reads: variant.reads,
        permissions: [variant.getPermission],
      };
      // Lists of one variant: API Gateway has no aggregated list, and the global forwarding rules may be missing
      // from the aggregated forwarding-rule list (googleapis-source reads them on their own then).
      const listed =
        !descriptor.aggregatedList || (descriptor.listsGlobalApart && variant.scope === 'global');
      if (variant.listPermission && listed) {
        fetchers[listFetcherId(variant)] = {
          api: descriptor.api,
          method: `${variant.apiCollection}.list`,
          reads: `${descriptor.pluralLabel} (${variant.scope === 'locations' ? 'all locations' : variant.scope})`,
          permissions: [variant.listPermission],
        };
      }
    }
  }
  return fetchers;
}

export function aggregatedFetcherId(kind: ResourceKind): string {
  return `${kind}.aggregatedList`;
}

export function getFetcherId(variant: KindVariant): string {
  return `${variant.apiCollection}.get`;
}

export function listFetcherId(variant: KindVariant): string {
  return `${variant.apiCollection}.list`;
}

/** Calls that read no resource kind: the folder and organisation tree, and a project's ancestry. */
const OTHER_FETCHERS = {
  // A folder or organisation sweep walks the tree beneath it (src/adapters/googleapis/resource-tree.ts); the list
  // permissions are checked on each parent, so granted at the organisation they reach every folder.
  foldersList: {
    api: 'cloudresourcemanager/v3',
    method: 'folders.list',
    reads: 'the folders directly under a folder or organisation',
    permissions: ['resourcemanager.folders.list'],
  },
  projectsList: {
    api: 'cloudresourcemanager/v3',
    method: 'projects.list',
    reads: 'the projects directly under a folder or organisation',
    permissions: ['resourcemanager.projects.list'],
  },
  // The event path places a project the last sweep did not list by its ancestry.
  projectGet: {
    api: 'cloudresourcemanager/v3',
    method: 'projects.get',
    reads: 'a project’s parent (ancestry of an event’s project)',
    permissions: ['resourcemanager.projects.get'],
  },
  folderGet: {
    api: 'cloudresourcemanager/v3',
    method: 'folders.get',
    reads: 'a folder’s parent (ancestry of an event’s project)',
    permissions: ['resourcemanager.folders.get'],
  },
} as const satisfies Record<string, FetcherDeclaration>;

export const FETCHERS: Readonly<Record<string, FetcherDeclaration>> = {
  ...kindFetchersOf(RESOURCE_KIND_DESCRIPTORS),
  ...OTHER_FETCHERS,
};

/** The declaration of one call; throws when the code asks for a call nobody declared (a bug, not bad input). */
export function fetcher(id: string): FetcherDeclaration {
  const found = FETCHERS[id];
  if (!found) throw new Error(`no fetcher declared as ${id}`);
  return found;
}

/** A custom role's permission list: every permission the fetchers declare, sorted, once each. */
export function permissionsOf(fetchers: Readonly<Record<string, FetcherDeclaration>>): string[] {
  return [...new Set(Object.values(fetchers).flatMap((declaration) => declaration.permissions))].sort();
}

/** The custom role's permission list. */
export const REQUIRED_PERMISSIONS: readonly string[] = permissionsOf(FETCHERS);
