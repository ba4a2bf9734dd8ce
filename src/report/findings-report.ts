// What the scan-style renderers (table, JSON, SARIF) are handed: findings and a summary of the judgement, so they
// depend on nothing above them (the scan and plan use cases build it).

import type { Finding } from '../domain/finding.js';
import type { Severity } from '../domain/severity.js';
import type { ResultStatus } from '../engine/evaluate.js';

export interface ScanError {
  readonly ruleId: string;
  readonly resource: string;
  readonly message: string;
}

export interface ScanSummary {
  readonly scannedAt: string;
  /** Failing results, muted included. */
  readonly findings: number;
  readonly open: number;
  readonly muted: number;
  /** Failing results by severity, muted included. */
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly byStatus: Readonly<Record<ResultStatus, number>>;
  /** Resources in the graph (records that could be named), judged by every rule that applies to them. */
  readonly resources: number;
  readonly rules: number;
  /** Records left out because their selfLink or name could not be parsed. */
  readonly skipped: number;
  readonly warnings: readonly string[];
  /** Results a rule could not decide: someone must see them. */
  readonly errors: readonly ScanError[];
}

export interface FindingsReport {
  /** Failing results (state open or muted), most severe first, then by rule, resource and sub-key. */
  readonly findings: readonly Finding[];
  readonly summary: ScanSummary;
}
