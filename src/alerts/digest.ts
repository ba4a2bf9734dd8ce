// One digest of a batch of alerts, shared by the chat formats: counts, then the most pressing items first.

import type { AlertRecord } from '../domain/alert.js';
import { compareText } from '../domain/compare-text.js';
import type { Transition } from '../domain/finding.js';
import { KIND_LABELS } from '../domain/resource-kind.js';
import { kindOfRef, parseResourceRef } from '../domain/resource-name.js';
import { compareSeverityDescending, SEVERITIES, type Severity } from '../domain/severity.js';
import { consoleLinkOf } from './console-link.js';
import { lookupCatalogueRule, type RuleLookup, summaryOf } from './rule-summary.js';

export interface DigestItem {
  readonly alertId: string;
  readonly transition: Transition;
  readonly severity: Severity;
  readonly ruleId: string;
  readonly ruleTitle: string;
  /** The resource's own name (`orders-bs`), not its full name. */
  readonly resourceName: string;
  /** `backend service`, `gateway`...: what the name is a name of. */
  readonly resourceLabel: string;
  readonly project: string;
  readonly location: string;
  readonly subKey: string | null;
  readonly message: string;
  readonly actor: string | null;
  readonly method: string | null;
  readonly consoleLink: string | null;
}

export interface Digest {
  readonly total: number;
  /** Non-zero counts only, in TRANSITION_ORDER. */
  readonly byTransition: readonly (readonly [Transition, number])[];
  /** Non-zero counts only, most severe first. */
  readonly bySeverity: readonly (readonly [Severity, number])[];
  readonly items: readonly DigestItem[];
  /** Alerts in the batch that did not fit in `items`. */
  readonly more: number;
}

export interface DigestOptions {
  /** Items shown in full; the rest are counted. Chat messages have size limits (Slack: 50 blocks). */
  readonly maxItems?: number;
  readonly lookup?: RuleLookup;
  /** The alert route this digest is for (policy `alerts.routes`); absent for the default channels. */
  readonly route?: string;
}

/** `Gatewarden` or, for a route's digest, `Gatewarden [payments]`: the title every chat format starts with. */
export function digestTitle(options: DigestOptions): string {
  return options.route ? `Gatewarden [${options.route}]` : 'Gatewarden';
}

const TRANSITION_ORDER: readonly Transition[] = [
  'opened',
  'reopened',
  'escalated',
  'undetermined',
  'resolved',
  'muted',
  'updated',
];

export const DEFAULT_DIGEST_ITEMS = 10;

export function buildDigest(alerts: readonly AlertRecord[], options: DigestOptions = {}): Digest {
  const maxItems = Math.max(0, options.maxItems ?? DEFAULT_DIGEST_ITEMS);
  const lookup = options.lookup ?? lookupCatalogueRule;
  const ordered = [...alerts].sort(compareUrgency);
  return {
    total: alerts.length,
    byTransition: countIn(
      TRANSITION_ORDER,
      alerts.map((alert) => alert.transition),
    ),
    bySeverity: countIn(
      [...SEVERITIES].reverse(),
      alerts.map((alert) => alert.finding.severity),
    ),
    items: ordered.slice(0, maxItems).map((alert) => itemOf(alert, lookup)),
    more: Math.max(0, alerts.length - maxItems),
  };
}

/** `3 opened, 1 resolved`: plain text, nothing from resources in it. */
export function describeTransitionCounts(digest: Digest): string {
  return digest.byTransition.map(([transition, count]) => `${count} ${transition}`).join(', ');
}

/** `1 CRITICAL, 2 HIGH`. */
export function describeSeverityCounts(digest: Digest): string {
  return digest.bySeverity.map(([severity, count]) => `${count} ${severity}`).join(', ');
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** New problems before good news, then most severe first; the rest keeps a stable order for golden files. */
function compareUrgency(a: AlertRecord, b: AlertRecord): number {
  return (
    Number(a.transition === 'resolved') - Number(b.transition === 'resolved') ||
    compareSeverityDescending(a.finding.severity, b.finding.severity) ||
    TRANSITION_ORDER.indexOf(a.transition) - TRANSITION_ORDER.indexOf(b.transition) ||
    compareText(a.finding.ruleId, b.finding.ruleId) ||
    compareText(a.finding.resource, b.finding.resource) ||
    compareText(a.finding.subKey ?? '', b.finding.subKey ?? '') ||
    compareText(a.id, b.id)
  );
}

function countIn<T>(order: readonly T[], values: readonly T[]): (readonly [T, number])[] {
  return order
    .map((key) => [key, values.filter((value) => value === key).length] as const)
    .filter(([, count]) => count > 0);
}

function itemOf(alert: AlertRecord, lookup: RuleLookup): DigestItem {
  const { finding } = alert;
  const ref = parseResourceRef(finding.resource);
  const kind = ref ? kindOfRef(ref) : undefined;
  return {
    alertId: alert.id,
    transition: alert.transition,
    severity: finding.severity,
    ruleId: finding.ruleId,
    ruleTitle: summaryOf(finding.ruleId, lookup).title,
    resourceName: ref?.name ?? finding.resource,
    resourceLabel: (kind && KIND_LABELS[kind]) ?? 'resource',
    project: finding.project,
    location: finding.location,
    subKey: finding.subKey,
    message: finding.message,
    actor: alert.change?.actor ?? null,
    method: alert.change?.method ?? null,
    consoleLink: consoleLinkOf(finding.resource),
  };
}
