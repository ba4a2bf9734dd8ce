// Run records: what one project sweep did (`runs/{id}`), so an auditor can see that sweeps ran, how long they took,
// and which scopes they could not read (and therefore did not judge).

import { createHash, randomBytes } from 'node:crypto';
import { describeError } from '../domain/failure.js';
import type { ScopeTree } from '../domain/scope-tree.js';
import type { RunRecord, ScopeRunRecord } from '../ports/run-records.js';
import type { SweepOutcome } from './sweep-project.js';

export type { RunRecord, ScopeRunRecord } from '../ports/run-records.js';

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
      deleting: tree.deleting.length,
    },
    unreadable: tree.unreadable,
    messageId,
  };
}

const NO_COUNTS: RunRecord['counts'] = {
  resources: 0,
  results: 0,
  failing: 0,
  undetermined: 0,
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
      undetermined: outcome.undetermined,
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
