// The projects beneath a folder or organisation, as one walk of the resource hierarchy found them (pure types).

/** A folder or organisation: `folders/123`, `organizations/456`. */
export type HierarchyNode = string;

export interface TreeProject {
  readonly projectId: string;
  /** `projects/123456789012`, when the listing gave it (API Gateway names use it). */
  readonly projectNumber?: string;
  /** The folder or organisation directly above. */
  readonly parent: HierarchyNode;
}

/** A node whose children could not be listed: nothing beneath it was seen, so nothing beneath it is judged gone. */
export interface UnreadablePart {
  readonly node: HierarchyNode;
  /** Which of its lists failed. */
  readonly missing: 'folders' | 'projects';
  /** The API's answer, on one line: `403 PERMISSION_DENIED: ...`. */
  readonly reason: string;
  /** The list was read, but entries of it that were not a project or folder were left out (named in the reason). */
  readonly entriesSkipped?: true;
}

export interface ScopeTree {
  readonly root: HierarchyNode;
  /** Every ACTIVE project found beneath the root at any depth, each once, by project ID. */
  readonly projects: readonly TreeProject[];
  /**
   * Projects listed beneath the root in DELETE_REQUESTED state: their resources are shut down and the project is
   * deleted 30 days later, so they are not swept, and a complete walk resolves their stored findings.
   */
  readonly deleting: readonly TreeProject[];
  /** The root and every ACTIVE folder found beneath it. */
  readonly nodes: readonly HierarchyNode[];
  readonly unreadable: readonly UnreadablePart[];
}

/** `folders/1 (folders)` lines for logs and summaries: which parts of the tree were not seen. */
export function describeUnreadable(parts: readonly UnreadablePart[]): string[] {
  return parts.map((part) => `${part.node} (${part.missing}: ${part.reason})`);
}
