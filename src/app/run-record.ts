// Run records: what one project sweep did (`runs/{id}`), so an auditor can see that sweeps ran, how long they took,
// and which scopes they could not read (and therefore did not judge).

import { createHash, randomBytes } from 'node:crypto';
import { describeError } from '../domain/failure.js';
import type { DisabledService, IncompleteScope } from '../domain/inventory.js';
import type { HierarchyNode, ScopeTree, UnreadablePart } from '../domain/scope-tree.js';
import type { SweepOutcome } from './sweep-project.js';

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
  readonly counts: { readonly projects: number; readonly folders: number };
  readonly unreadable: readonly UnreadablePart[];
  readonly messageId: string | null;
}

/** Port: where run records go (Firestore `runs/`; memory in tests). */
export interface RunRecordStore {
  save(record: RunRecord | ScopeRunRecord): Promise<void>;
}

export function scopeRunRecordOf(
  tree: ScopeTree,
  times: { readonly id: string; readonly startedAt: string; readonly finishedAt: string },
  messageId: string | null,
): ScopeRunRecord {
  return {
    id: times.id,
    kind: 'scope-walk',
    scope: tree.root,
    status: tree.unreadable.length > 0 ? 'incomplete' : 'complete',
    startedAt: times.startedAt,
    finishedAt: times.finishedAt,
    durationMs: Date.parse(times.finishedAt) - Date.parse(times.startedAt),
    // The root is a node but not a folder when it is an organisation.
    counts: {
      projects: tree.projects.length,
      folders: tree.nodes.filter((node) => node.startsWith('folders/')).length,
    },
    unreadable: tree.unreadable,
    messageId,
  };
}

const NO_COUNTS: RunRecord['counts'] = {
  resources: 0,
  results: 0,
  failing: 0,
  transitions: 0,
  snapshotsWritten: 0,
  deleted: 0,
};

/** A fresh, unguessable ID: two sweeps of one project in the same millisecond still get two records. */
export function newRunId(project: string, startedAt: string): string {
  return createHash('sha256')
    .update(`${project}\n${startedAt}\n${randomBytes(8).toString('hex')}`)
    .digest('hex')
    .slice(0, 32);
}

export function runRecordOf(
  outcome: SweepOutcome,
  times: { readonly id: string; readonly startedAt: string; readonly finishedAt: string },
  messageId: string | null,
): RunRecord {
  return {
    id: times.id,
    kind: 'project-sweep',
    project: outcome.project,
    status: outcome.incomplete.length > 0 || outcome.errors.length > 0 ? 'incomplete' : 'complete',
    startedAt: times.startedAt,
    finishedAt: times.finishedAt,
    durationMs: Date.parse(times.finishedAt) - Date.parse(times.startedAt),
    counts: {
      resources: outcome.resources,
      results: outcome.results,
      failing: outcome.failing,
      transitions: outcome.transitions,
      snapshotsWritten: outcome.snapshotsWritten,
      deleted: outcome.deleted,
    },
    incompleteScopes: outcome.incomplete,
    disabledServices: outcome.disabledServices,
    errors: outcome.errors,
    messageId,
  };
}

export function failedRunRecord(
  project: string,
  error: unknown,
  times: { readonly id: string; readonly startedAt: string; readonly finishedAt: string },
  messageId: string | null,
): RunRecord {
  return {
    id: times.id,
    kind: 'project-sweep',
    project,
    status: 'failed',
    startedAt: times.startedAt,
    finishedAt: times.finishedAt,
    durationMs: Date.parse(times.finishedAt) - Date.parse(times.startedAt),
    counts: NO_COUNTS,
    incompleteScopes: [],
    disabledServices: [],
    errors: [describeError(error)],
    messageId,
  };
}
