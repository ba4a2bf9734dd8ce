// Findings: what a failing result becomes, with the identity and fields DESIGN.md §3 fixes. The one finding shape:
// the engine's findings, the stores, alerts and every renderer use it (renderers project it at their output edge).

import { hash } from 'node:crypto';
import type { Severity } from './severity.js';

/**
 * `undetermined`: the rule could not decide (it threw, or its input could not be read); the reason is in the
 * evidence. It is never a pass: it does not resolve an open finding and a CI gate counts it.
 */
export type FindingState = 'open' | 'resolved' | 'muted' | 'undetermined';

/** Who and what last changed a finding's state: the audit entry behind it (null from a sweep or scan). */
export interface ChangeAttribution {
  readonly method: string;
  readonly actor: string | null;
  readonly at: string;
  readonly entryId: string;
}

/** The policy exemption that mutes a finding. `pattern` is known where the policy was read (a scan), not stored. */
export interface FindingExemption {
  readonly reason: string;
  readonly expires: string;
  readonly owner?: string;
  readonly pattern?: string;
}

export interface Finding {
  readonly id: string;
  readonly ruleId: string;
  readonly resource: string;
  readonly resourceType: string;
  readonly project: string;
  readonly location: string;
  readonly subKey: string | null;
  readonly severity: Severity;
  readonly state: FindingState;
  readonly message: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  /** When it first failed; null when not recorded (a scan or plan check judges once and keeps no history). */
  readonly firstSeenAt: string | null;
  readonly lastSeenAt: string;
  readonly resolvedAt: string | null;
  readonly reopenCount: number;
  readonly lastChange: ChangeAttribution | null;
  /** Present while muted: the exemption that mutes it. */
  readonly exemption?: FindingExemption | null;
  /**
   * The resource's own labels as last read (absent when it has none): alert routes match on them. Of the kinds
   * judged, only forwarding rules, Cloud Armor policies and API Gateway gateways, APIs and configs carry labels.
   */
  readonly labels?: ResourceLabels;
}

/** Resource labels (`{ team: 'payments' }`): keys and values are strings. */
export type ResourceLabels = Readonly<Record<string, string>>;

/**
 * The `labels` map of an API record, string values only; undefined when it has none, so a finding on an unlabelled
 * resource carries no `labels` field at all.
 */
export function resourceLabelsOf(record: unknown): ResourceLabels | undefined {
  const labels = (record as { labels?: unknown } | null | undefined)?.labels;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return undefined;
  const entries = Object.entries(labels).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Same labels, whatever the key order (absent and empty are the same). */
export function sameLabels(a: ResourceLabels | undefined, b: ResourceLabels | undefined): boolean {
  const left = Object.entries(a ?? {});
  if (left.length !== Object.keys(b ?? {}).length) return false;
  return left.every(([key, value]) => b?.[key] === value);
}

/**
 * `reopened` also covers a muted finding whose exemption expired; `updated` = same state, new message or evidence;
 * `undetermined` = the rule could not decide a resource it had no failing finding for.
 */
export type Transition =
  | 'opened'
  | 'reopened'
  | 'escalated'
  | 'resolved'
  | 'muted'
  | 'updated'
  | 'undetermined';

/** Transitions that alert (DESIGN.md §4); `muted` and `updated` are recorded in history only. */
export const ALERTING_TRANSITIONS: ReadonlySet<Transition> = new Set([
  'opened',
  'reopened',
  'escalated',
  'resolved',
  'undetermined',
]);

export interface HistoryRecord {
  readonly transition: Transition;
  readonly from: FindingState | null;
  readonly to: FindingState;
  readonly severity: Severity;
  readonly at: string;
  readonly message: string;
  readonly change: ChangeAttribution | null;
}

/** Finding identity: a hash of (rule, resource, subKey), so hostile names never reach a document path. */
export function findingIdOf(ruleId: string, resource: string, subKey: string | null): string {
  // crypto.hash: one call, no Hash object per finding (a scan of the 1x estate IDs 15,830 of them).
  return hash('sha256', `${ruleId}\n${resource}\n${subKey ?? ''}`, 'hex').slice(0, 40);
}

/** Stable alert identity so receivers can dedupe at-least-once deliveries. */
export function alertIdOf(findingId: string, transition: Transition, at: string): string {
  return hash('sha256', `${findingId}\n${transition}\n${at}`, 'hex').slice(0, 40);
}
