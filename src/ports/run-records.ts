// Port: run records, what one project sweep or one walk of a folder or organisation did (`runs/{id}`), and where
// they go.

import type { DisabledService, IncompleteScope } from '../domain/inventory.js';
import type { HierarchyNode, UnreadablePart } from '../domain/scope-tree.js';

export type RunStatus = 'complete' | 'incomplete' | 'failed';

export interface RunRecord {
  readonly id: string;
  readonly kind: 'project-sweep';
  readonly project: string;
  /** `complete`: judged; `incomplete`: scopes unread, nothing judged or resolved; `failed`: the sweep threw. */
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly counts: {
    readonly resources: number;
    readonly results: number;
    readonly failing: number;
    /** Results the rules could not decide (absent from records written before it was counted). */
    readonly undetermined?: number;
    readonly transitions: number;
    readonly snapshotsWritten: number;
    readonly deleted: number;
  };
  readonly incompleteScopes: readonly IncompleteScope[];
  /**
   * APIs the project has not enabled, so it holds none of their kinds: a project with load balancers and the API
   * Gateway API off is judged (its NEGs point at no gateway), and the record says why no gateway was read.
   */
  readonly disabledServices?: readonly DisabledService[];
  readonly errors: readonly string[];
  /** The Pub/Sub message that asked for the sweep, when known. */
  readonly messageId: string | null;
}

/** What one walk of a folder or organisation found before fanning out: the parts of the tree it could not read. */
export interface ScopeRunRecord {
  readonly id: string;
  readonly kind: 'scope-walk';
  readonly scope: HierarchyNode;
  /** `incomplete`: some folder could not be read; nothing beneath it was swept (or judged gone). */
  readonly status: 'complete' | 'incomplete';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  /** `deleting`: projects listed pending deletion (not swept; a complete walk resolves their findings). */
  readonly counts: { readonly projects: number; readonly folders: number; readonly deleting: number };
  readonly unreadable: readonly UnreadablePart[];
  readonly messageId: string | null;
}

/** Where run records go (Firestore `runs/`; memory in tests). */
export interface RunRecordStore {
  save(record: RunRecord | ScopeRunRecord): Promise<void>;
}
