// Whether a project is inside the installation's scope, so the event path acts only on what it watches: the
// configured projects, or everything beneath a folder or organisation (by ancestry, at any depth). The set the last
// sweep computed answers most questions without a call; a project it does not list (created or moved since) costs
// one ancestry lookup (projects.get, then folders.get up to a folder the sweep saw), cached.

import type { HierarchyNode, ScopeTree } from '../domain/scope-tree.js';
import type { AncestryReader, NodeParent, SweptScope, SweptScopeStore } from '../ports/scope-tree.js';

/** What the installation watches: a list of projects, or the whole tree beneath one folder or organisation. */
export type InstallationScope =
  | { readonly kind: 'projects'; readonly projects: readonly string[] }
  | {
      readonly kind: 'tree';
      readonly root: HierarchyNode;
      /** Projects named as watched besides the tree (folder mode may name one outside the folder): in scope too. */
      readonly alsoWatched?: readonly string[];
    };

export type Membership =
  | { readonly inScope: true; readonly by: 'configured' | 'last-sweep' | 'ancestry' }
  | { readonly inScope: false; readonly by: 'configured' | 'ancestry'; readonly reason: string };

export interface ScopeMembership {
  check(project: string): Promise<Membership>;
}

export interface ScopeMembershipDeps {
  readonly store?: SweptScopeStore;
  readonly ancestry?: AncestryReader;
  /** Epoch milliseconds now; injected so tests decide when caches expire. */
  readonly now: () => number;
  /** How long a read of the stored scope, a resolved verdict and a folder's parent are trusted (default 10 min). */
  readonly cacheMs?: number;
}

export const DEFAULT_MEMBERSHIP_CACHE_MS = 10 * 60 * 1000;
/**
 * Project mode: the watched list decides. An API Gateway entry may name its project by number; a number that is not
 * listed is looked up once (projects.get gives the ID) rather than taken as out.
 */
function watchedProjects(projects: readonly string[], deps: ScopeMembershipDeps): ScopeMembership {
  const watched = new Set(projects);
  const numbers = new Map<string, Promise<Membership>>();
  const outside = (project: string): Membership => ({
    inScope: false,
    by: 'configured',
    reason: `${project} is not one of the watched projects`,
  });
  return {
    async check(project) {
      if (watched.has(project)) return { inScope: true, by: 'configured' };
      if (!/^\d+$/.test(project) || !deps.ancestry) return outside(project);
      const ancestry = deps.ancestry;
      let verdict = numbers.get(project);
      if (!verdict) {
        verdict = ancestry
          .parentOf(`projects/${project}`)
          .then((found) =>
            found.readable && found.projectId && watched.has(found.projectId)
              ? { inScope: true, by: 'ancestry' }
              : outside(project),
          );
        numbers.set(project, verdict);
        verdict.catch(() => numbers.delete(project));
      }
      return verdict;
    },
  };
}

/** Resource Manager allows folders 10 levels deep; anything longer is a loop or a lie. */
const MAX_ANCESTRY_DEPTH = 12;

/** The sweep's record of a tree: project IDs and numbers, and the nodes it walked. */
export function sweptScopeOf(tree: ScopeTree, sweptAt: string): SweptScope {
  return {
    root: tree.root,
    sweptAt,
    projects: [
      ...new Set(
        tree.projects.flatMap((project) => [
          project.projectId,
          ...(project.projectNumber ? [project.projectNumber] : []),
        ]),
      ),
    ].sort(),
    nodes: [...tree.nodes].sort(),
  };
}

interface KnownScope {
  readonly projects: ReadonlySet<string>;
  readonly nodes: ReadonlySet<string>;
}

export function createScopeMembership(scope: InstallationScope, deps: ScopeMembershipDeps): ScopeMembership {
  if (scope.kind === 'projects') return watchedProjects(scope.projects, deps);
  const root = scope.root;
  const alsoWatched = new Set(scope.alsoWatched ?? []);
  const cacheMs = deps.cacheMs ?? DEFAULT_MEMBERSHIP_CACHE_MS;
  const cache = <T>() => new Map<string, { readonly value: T; readonly until: number }>();
  const verdicts = cache<Membership>();
  const folderParents = cache<NodeParent>();
  let stored: { readonly value: Promise<KnownScope | undefined>; readonly until: number } | undefined;

  const fresh = <T>(map: Map<string, { value: T; until: number }>, key: string): T | undefined => {
    const hit = map.get(key);
    return hit && hit.until > deps.now() ? hit.value : undefined;
  };
  const lastSweep = (): Promise<KnownScope | undefined> => {
    if (!stored || stored.until <= deps.now()) {
      const value = (deps.store ? deps.store.load(root) : Promise.resolve(undefined)).then((swept) =>
        swept ? { projects: new Set(swept.projects), nodes: new Set(swept.nodes) } : undefined,
      );
      stored = { value, until: deps.now() + cacheMs };
      // A failed read is not kept: the next event reads again.
      value.catch(() => {
        stored = undefined;
      });
    }
    return stored.value;
  };

  async function resolve(project: string, known: KnownScope | undefined): Promise<Membership> {
    if (!deps.ancestry) {
      return {
        inScope: false,
        by: 'ancestry',
        reason: `no ancestry reader to place ${project} under ${root}`,
      };
    }
    const self = await deps.ancestry.parentOf(`projects/${project}`);
    if (!self.readable) return { inScope: false, by: 'ancestry', reason: self.reason };
    if (!self.active) return { inScope: false, by: 'ancestry', reason: `${project} is pending deletion` };
    const seen = known?.nodes ?? new Set<string>();
    let node = self.parent;
    for (let depth = 0; node !== undefined && depth < MAX_ANCESTRY_DEPTH; depth += 1) {
      if (node === root || seen.has(node)) return { inScope: true, by: 'ancestry' };
      if (!node.startsWith('folders/')) break;
      let step = fresh(folderParents, node);
      if (!step) {
        step = await deps.ancestry.parentOf(node);
        folderParents.set(node, { value: step, until: deps.now() + cacheMs });
      }
      if (!step.readable) return { inScope: false, by: 'ancestry', reason: step.reason };
      node = step.parent;
    }
    return { inScope: false, by: 'ancestry', reason: `${project} is not beneath ${root}` };
  }

  return {
    async check(project) {
      if (alsoWatched.has(project)) return { inScope: true, by: 'configured' };
      const known = await lastSweep();
      if (known?.projects.has(project)) return { inScope: true, by: 'last-sweep' };
      const cached = fresh(verdicts, project);
      if (cached) return cached;
      const verdict = await resolve(project, known);
      verdicts.set(project, { value: verdict, until: deps.now() + cacheMs });
      return verdict;
    },
  };
}
