// Reads the functions' last runs back from Firestore for `gatewarden doctor`: a project's latest sweep record
// (`runs/`, by project and start time: the composite index in client.ts) and the latest processed audit entry (`events/`).

import type { Firestore, Timestamp } from '@google-cloud/firestore';
import type { SweepRunObservation } from '../../doctor/checks.js';

export interface RunHistoryOptions {
  /** Prepended to the collection names, as the stores do (tests share one emulator). */
  readonly collectionPrefix?: string;
}

export class FirestoreRunHistory {
  private readonly runs: string;
  private readonly events: string;

  constructor(
    private readonly db: Firestore,
    options: RunHistoryOptions = {},
  ) {
    this.runs = `${options.collectionPrefix ?? ''}runs`;
    this.events = `${options.collectionPrefix ?? ''}events`;
  }

  async lastSweepRun(project: string): Promise<SweepRunObservation | null> {
    const page = await this.db
      .collection(this.runs)
      .where('project', '==', project)
      .orderBy('startedAt', 'desc')
      .limit(1)
      .get();
    const data = page.docs[0]?.data();
    if (!data) return null;
    const status = data.status === 'complete' || data.status === 'incomplete' ? data.status : 'failed';
    const scopes = Array.isArray(data.incompleteScopes) ? data.incompleteScopes : [];
    return {
      status,
      startedAt: isoOf(data.startedAt),
      resources: typeof data.counts?.resources === 'number' ? data.counts.resources : 0,
      errors: Array.isArray(data.errors) ? data.errors.map(String) : [],
      incompleteScopes: scopes.map((scope: unknown, index) =>
        describeScope(page.docs[0]?.id ?? '', index, scope),
      ),
    };
  }

  async lastProcessedAuditEntry(): Promise<string | null> {
    const page = await this.db.collection(this.events).orderBy('processedAt', 'desc').limit(1).get();
    const data = page.docs[0]?.data();
    return data ? isoOf(data.processedAt) : null;
  }
}

/**
 * One entry of a run's `incompleteScopes`. An entry that is not an object is named as malformed, by document and
 * index: read as one, `null` threw, and doctor reported the TypeError as a missing datastore.entities.list grant.
 */
function describeScope(id: string, index: number, scope: unknown): string {
  if (!scope || typeof scope !== 'object' || Array.isArray(scope)) {
    return `malformed record runs/${id}: incompleteScopes[${index}] is ${JSON.stringify(scope) ?? String(scope)}, not a scope`;
  }
  const { kind, scope: name, reason } = scope as { kind?: unknown; scope?: unknown; reason?: unknown };
  return `${String(kind ?? '')} in ${String(name ?? '')}: ${String(reason ?? '')}`;
}

function isoOf(value: unknown): string {
  if (value && typeof (value as Timestamp).toDate === 'function')
    return (value as Timestamp).toDate().toISOString();
  return typeof value === 'string' ? value : String(value);
}
