// Port: reading stored findings and their history (the report, the CLI, the sweep's view of what is open).

import type { Finding, FindingState, HistoryRecord } from '../domain/finding.js';
import type { Severity } from '../domain/severity.js';

export interface FindingQuery {
  readonly project?: string;
  readonly states?: readonly FindingState[];
  readonly minimumSeverity?: Severity;
  readonly ruleId?: string;
  readonly resource?: string;
  /** One finding, by its ID. */
  readonly id?: string;
  /**
   * ISO time: findings seen failing at or after it. A finding not resolved is still seen failing (every sweep judges it
   * so, but one that stays failing is not rewritten, so its lastSeenAt is when it last changed); a resolved one was
   * last seen when it resolved (its lastSeenAt).
   */
  readonly since?: string;
  readonly limit?: number;
  /**
   * Told of each stored finding left out because it cannot be read (a field not as Gatewarden writes it), in words
   * naming the finding and the field; without it the store logs them. Such a finding never fails the query.
   */
  readonly onUnreadable?: (warning: string) => void;
}

export interface FindingQueries {
  query(query: FindingQuery): Promise<Finding[]>;
  /**
   * The resources of a project that have findings in any of `states`, each once: what a sweep looks for orphans in,
   * read without the findings themselves (their evidence is most of what a project's findings weigh).
   */
  resourcesWithFindings(project: string, states: readonly FindingState[]): Promise<string[]>;
  history(findingId: string): Promise<HistoryRecord[]>;
}
