// Stored findings and their history read from Firestore (`findings/{id}`, `findings/{id}/history/*`).

import { FieldPath, type Query } from '@google-cloud/firestore';
import type { Finding, FindingState, HistoryRecord } from '../../domain/finding.js';
import { isAtLeast } from '../../domain/severity.js';
import type { FindingQueries, FindingQuery } from '../../ports/finding-queries.js';
import type { Logger } from '../../ports/logger.js';
import { decodeHistory, MalformedFindingError, storedFindingOf } from './codecs.js';
import type { Collections } from './collections.js';
import { documentIdOf, isUsableDocumentId } from './encoding.js';

export class FirestoreFindingQueries implements FindingQueries {
  constructor(
    private readonly collections: Collections,
    private readonly log: Logger,
  ) {}

  async query(query: FindingQuery): Promise<Finding[]> {
    if (query.limit !== undefined && query.limit <= 0) return [];
    if (query.states && query.states.length === 0) return [];
    // Equality filters run in Firestore (served by single-field indexes, merged); severity and time filter here,
    // so no combination of options needs a composite index.
    let firestoreQuery: Query = this.collections.db.collection(this.collections.findings);
    if (query.project) firestoreQuery = firestoreQuery.where('project', '==', query.project);
    if (query.ruleId) firestoreQuery = firestoreQuery.where('ruleId', '==', query.ruleId);
    if (query.resource) {
      firestoreQuery = firestoreQuery.where('resourceKey', '==', documentIdOf(query.resource));
    }
    if (query.id !== undefined) {
      if (!isUsableDocumentId(query.id)) return [];
      firestoreQuery = firestoreQuery.where(FieldPath.documentId(), '==', query.id);
    }
    if (query.states) {
      firestoreQuery =
        query.states.length === 1
          ? firestoreQuery.where('state', '==', query.states[0])
          : firestoreQuery.where('state', 'in', [...query.states]);
    }
    const filtersHere = query.minimumSeverity !== undefined || query.since !== undefined;
    if (query.limit !== undefined && !filtersHere) firestoreQuery = firestoreQuery.limit(query.limit);
    const snapshot = await firestoreQuery.get();
    const since = query.since ? Date.parse(query.since) : undefined;
    const minimum = query.minimumSeverity;
    const unreadable =
      query.onUnreadable ?? ((warning: string) => this.log.warn('stored finding left out', { warning }));
    const matches = snapshot.docs
      .flatMap((doc) => {
        try {
          return [storedFindingOf(doc).finding];
        } catch (error) {
          if (!(error instanceof MalformedFindingError)) throw error;
          unreadable(`${error.message}; left out`);
          return [];
        }
      })
      .filter(
        (finding) =>
          (!minimum || isAtLeast(finding.severity, minimum)) &&
          // Still failing is still seen: an unchanged finding is not rewritten, so its lastSeenAt is older.
          (since === undefined || finding.state !== 'resolved' || Date.parse(finding.lastSeenAt) >= since),
      );
    return matches.slice(0, query.limit ?? matches.length);
  }

  async resourcesWithFindings(project: string, states: readonly FindingState[]): Promise<string[]> {
    if (states.length === 0) return [];
    // A projection: the findings' messages and evidence never leave Firestore.
    const snapshot = await this.collections.db
      .collection(this.collections.findings)
      .where('project', '==', project)
      .where('state', 'in', [...states])
      .select('resource')
      .get();
    return [...new Set(snapshot.docs.map((doc) => String(doc.get('resource'))))];
  }

  async history(findingId: string): Promise<HistoryRecord[]> {
    if (!isUsableDocumentId(findingId)) return [];
    const snapshot = await this.collections
      .finding(findingId)
      .collection('history')
      .orderBy('revision')
      .get();
    return snapshot.docs.map((doc) => decodeHistory(doc.data()));
  }
}
