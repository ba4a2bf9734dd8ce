// Ports for the resource hierarchy: the tree a folder or organisation sweep walks, one step of a project's ancestry,
// and where the last sweep's tree is kept for the event path's scope check.

import type { HierarchyNode, ScopeTree } from '../domain/scope-tree.js';

/**
 * Every ACTIVE project beneath a folder or organisation, at any depth, those pending deletion, and the parts that
 * could not be read.
 */
export interface ScopeTreeReader {
  readTree(root: HierarchyNode): Promise<ScopeTree>;
}

/** One step up the hierarchy, as Resource Manager answers `projects.get` / `folders.get`. */
export type NodeParent =
  | {
      readonly readable: true;
      /** `folders/1` or `organizations/2`; absent for a project with no organisation. */
      readonly parent: string | undefined;
      readonly active: boolean;
      readonly projectId?: string;
      readonly projectNumber?: string;
    }
  /** 403 or 404: the reader role is inherited from the scope's root, so what it cannot read is not inside. */
  | { readonly readable: false; readonly reason: string };

/** The parent of `projects/ID` or `folders/N`; throws only when nothing is known (a retry could help). */
export interface AncestryReader {
  parentOf(resource: string): Promise<NodeParent>;
}

/** What one sweep of a tree scope found, kept so events can be judged in or out without a call. */
export interface SweptScope {
  readonly root: HierarchyNode;
  readonly sweptAt: string;
  /** Project IDs and numbers of every ACTIVE project found. */
  readonly projects: readonly string[];
  /** The root and every folder whose place beneath it is known. */
  readonly nodes: readonly HierarchyNode[];
}

/** Where the last sweep's tree is kept (Firestore `scopes/`; memory in tests). */
export interface SweptScopeStore {
  load(root: HierarchyNode): Promise<SweptScope | undefined>;
  save(scope: SweptScope): Promise<void>;
}
